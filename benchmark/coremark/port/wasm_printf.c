/*
 * A small printf for jitless-wasm's CoreMark port (no libc): formats into a buffer, hands the
 * bytes to the host's env.write import, and keeps the run's output so that core_portme.c can
 * look for CoreMark's verdict lines. Supports what CoreMark's report uses: %d %i %u %x %X %c
 * %s %f %%, the flags 0 and -, a width, a precision for %f, and the l/ll length modifiers.
 */
#include <stdarg.h>

#include "coremark.h"

__attribute__((import_module("env"), import_name("write"))) void host_write(const char *ptr, int len);

#define OUTPUT_KEEP 4096

static char kept[OUTPUT_KEEP];
static int kept_len;

void port_output_reset(void) { kept_len = 0; }

int port_output_saw(const char *needle) {
    int n = 0;
    while (needle[n])
        n++;
    for (int i = 0; i + n <= kept_len; i++) {
        int j = 0;
        while (j < n && kept[i + j] == needle[j])
            j++;
        if (j == n)
            return 1;
    }
    return 0;
}

/* An output buffer that flushes to the host when full. */
struct out {
    char buf[256];
    int len;
    int total;
};

static void flush(struct out *o) {
    if (o->len > 0)
        host_write(o->buf, o->len);
    o->len = 0;
}

static void put(struct out *o, char c) {
    if (o->len == (int)sizeof o->buf)
        flush(o);
    o->buf[o->len++] = c;
    if (kept_len < OUTPUT_KEEP)
        kept[kept_len++] = c;
    o->total++;
}

static void put_padded(struct out *o, const char *s, int n, int width, int left, char pad) {
    if (!left)
        for (int i = n; i < width; i++)
            put(o, pad);
    for (int i = 0; i < n; i++)
        put(o, s[i]);
    if (left)
        for (int i = n; i < width; i++)
            put(o, ' ');
}

/* Writes v in the given base into the end of tmp; returns the start. */
static char *digits(unsigned long long v, unsigned base, int upper, char *end) {
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    do {
        *--p = set[v % base];
        v /= base;
    } while (v);
    return p;
}

static void put_fixed(struct out *o, double v, int prec, int width, int left, char pad) {
    char tmp[64];
    char *end = tmp + sizeof tmp;
    char *p;
    unsigned long long whole, frac, scale = 1;
    int neg = v < 0;
    if (neg)
        v = -v;
    if (prec > 9)
        prec = 9;
    for (int i = 0; i < prec; i++)
        scale *= 10;
    if (v >= 1e18) { /* beyond what this formatter needs; print a marker, not garbage */
        put_padded(o, "inf", 3, width, left, ' ');
        return;
    }
    whole = (unsigned long long)v;
    frac = (unsigned long long)((v - (double)whole) * (double)scale + 0.5);
    if (frac >= scale) {
        frac -= scale;
        whole++;
    }
    p = end;
    if (prec > 0) {
        for (int i = 0; i < prec; i++) {
            *--p = (char)('0' + frac % 10);
            frac /= 10;
        }
        *--p = '.';
    }
    p = digits(whole, 10, 0, p);
    if (neg)
        *--p = '-';
    put_padded(o, p, (int)(end - p), width, left, pad);
}

int ee_printf(const char *fmt, ...) {
    struct out o; /* only len and total need a start value (a full initializer would call memset) */
    o.len = 0;
    o.total = 0;
    va_list ap;
    va_start(ap, fmt);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        f++;
        int left = 0, width = 0, prec = 6, longs = 0;
        char pad = ' ';
        for (;; f++) {
            if (*f == '-')
                left = 1;
            else if (*f == '0')
                pad = '0';
            else
                break;
        }
        while (*f >= '0' && *f <= '9')
            width = width * 10 + (*f++ - '0');
        if (*f == '.') {
            prec = 0;
            for (f++; *f >= '0' && *f <= '9'; f++)
                prec = prec * 10 + (*f - '0');
        }
        while (*f == 'l') {
            longs++;
            f++;
        }
        char tmp[32];
        char *end = tmp + sizeof tmp;
        char *p;
        switch (*f) {
        case 'd':
        case 'i': {
            long long v = longs >= 2 ? va_arg(ap, long long) : longs ? va_arg(ap, long) : va_arg(ap, int);
            unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
            p = digits(mag, 10, 0, end);
            if (v < 0)
                *--p = '-';
            put_padded(&o, p, (int)(end - p), width, left, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long long v = longs >= 2 ? va_arg(ap, unsigned long long)
                                   : longs    ? va_arg(ap, unsigned long)
                                              : va_arg(ap, unsigned int);
            p = digits(v, *f == 'u' ? 10 : 16, *f == 'X', end);
            put_padded(&o, p, (int)(end - p), width, left, pad);
            break;
        }
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            put_padded(&o, tmp, 1, width, left, ' ');
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int n = 0;
            if (!s)
                s = "(null)";
            while (s[n])
                n++;
            put_padded(&o, s, n, width, left, ' ');
            break;
        }
        case 'f':
            put_fixed(&o, va_arg(ap, double), prec, width, left, pad);
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            f--; /* a lone '%' at the end: stop at the terminator */
            break;
        default: /* unknown conversion: print it as written */
            put(&o, '%');
            put(&o, *f);
            break;
        }
    }
    va_end(ap);
    flush(&o);
    return o.total;
}
