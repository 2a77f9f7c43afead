#include "rt.h"
struct point { double x, y; float w; };
static struct point pts[5] = {{1.5, 2.0, 0.5f}, {-3.25, 4.0, 1.0f}, {0.1, 0.2, 2.0f}, {10.0, -1.0, 0.25f}, {3.0, 3.0, 4.0f}};
volatile double scale = 1.0 / 3.0;

static double sqrt_newton(double v) {
    double x = v > 1 ? v : 1;
    for (int i = 0; i < 30; i++) x = 0.5 * (x + v / x);
    return x;
}

void _start(void) {
    double sum = 0;
    float wsum = 0;
    for (int i = 0; i < 5; i++) {
        double d = sqrt_newton(pts[i].x * pts[i].x + pts[i].y * pts[i].y);
        sum += d * pts[i].w;
        wsum += pts[i].w * (float)scale;
    }
    put_int((long)(sum * 1000000.0));
    put_int((long)(wsum * 1000.0f));
    put_int((long)(scale * 3e9));
    long acc = 0;
    for (long i = 1; i <= 100; i++) acc += (long)(1e6 / (double)i);
    put_int(acc);
    exit_(0);
}
