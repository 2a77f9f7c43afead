# check.gdb: stop at the end of sum and check its result
break end
continue
print $t0 == 23
x/6dw array
