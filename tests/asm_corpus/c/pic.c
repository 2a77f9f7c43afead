/* Position-independent code as riscv64-linux-gnu-gcc -fPIC -g writes it: globals through the GOT
   (`la` under `.option pic`), calls to global functions as `call f@plt`, DWARF line directives. */
typedef long (*op_fn)(long, long);

long counter = 5;
long table[16] = {1, 2, 3};
const char banner[] = "pic: ok\n";
long add(long a, long b) { return a + b; }
long mul(long a, long b) { return a * b; }
op_fn ops[2] = {add, mul};
static long hidden_total;

static void sys_write(const char *p, long n)
{
    register long a0 asm("a0") = 1;
    register long a1 asm("a1") = (long)p;
    register long a2 asm("a2") = n;
    register long a7 asm("a7") = 64;
    asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
}

long fold(op_fn f, long init)
{
    long acc = init;
    for (int i = 0; i < 16; i++)
        acc = f(acc, table[i] + counter);
    return acc;
}

void _start(void)
{
    for (int i = 0; i < 16; i++)
        table[i] += i;
    hidden_total = fold(ops[0], 0) + (fold(ops[1], 1) & 0xff);
    op_fn g = &add;
    hidden_total = g(hidden_total, counter);
    sys_write(banner, sizeof banner - 1);
    register long a0 asm("a0") = hidden_total & 0x7f;
    register long a7 asm("a7") = 93;
    asm volatile("ecall" :: "r"(a0), "r"(a7));
    for (;;)
        ;
}
