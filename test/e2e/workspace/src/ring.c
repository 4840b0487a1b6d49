/* A fixed-size ring buffer: the sort of C an LSTM learns brackets and indentation from. */
#include <stdio.h>
#include <string.h>

#define RING_SIZE 8

typedef struct {
    int items[RING_SIZE];
    size_t head, count;
} ring_t;

static int ring_push(ring_t *r, int value) {
    if (r->count == RING_SIZE) {
        return -1; /* full */
    }
    r->items[(r->head + r->count) % RING_SIZE] = value;
    r->count++;
    return 0;
}

static int ring_pop(ring_t *r, int *out) {
    if (r->count == 0) {
        return -1; /* empty */
    }
    *out = r->items[r->head];
    r->head = (r->head + 1) % RING_SIZE;
    r->count--;
    return 0;
}

int main(void) {
    ring_t r;
    memset(&r, 0, sizeof r);
    for (int i = 0; i < 10; i++) {
        if (ring_push(&r, i * i) != 0) {
            printf("full at %d\n", i);
        }
    }
    int v;
    while (ring_pop(&r, &v) == 0) {
        printf("%d ", v);
    }
    printf("\n");
    return 0;
}
