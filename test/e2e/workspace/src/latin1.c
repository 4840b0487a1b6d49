/* Compteur de caractères : encodé en Latin-1, pas en UTF-8. */
#include <stdio.h>

int count_chars(const char *s) {
    int n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

int main(void) {
    printf("%d\n", count_chars("déjà vu"));
    return 0;
}
