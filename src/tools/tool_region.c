/* tool_region — `ecogov region keygen FILE`: a new Ed25519 key for the
 * regional consultation's signed feed. Writes the 32-byte seed as 64 hex
 * digits to FILE (created with mode 0600, never overwritten) and prints the
 * public key in hex, which the other members configure in region_members.
 * Exit status: 0 done; 1 the file exists or cannot be written; 2 usage. */
#include "tools/tools.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int tool_region_keygen(const char *path)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "ecogov region: libsodium cannot start\n");
        return 1;
    }
    unsigned char seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES],
        sk[crypto_sign_SECRETKEYBYTES];
    randombytes_buf(seed, sizeof seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    char seedhex[2 * sizeof seed + 2], pkhex[2 * sizeof pk + 1];
    sodium_bin2hex(seedhex, sizeof seedhex - 1, seed, sizeof seed);
    seedhex[2 * sizeof seed] = '\n';
    seedhex[2 * sizeof seed + 1] = '\0';
    sodium_bin2hex(pkhex, sizeof pkhex, pk, sizeof pk);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(sk, sizeof sk);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        fprintf(stderr, "ecogov region: cannot create %s: %s\n", path, strerror(errno));
        return 1;
    }
    ssize_t n = write(fd, seedhex, strlen(seedhex));
    sodium_memzero(seedhex, sizeof seedhex);
    if (n < 0 || close(fd)) {
        fprintf(stderr, "ecogov region: cannot write %s\n", path);
        return 1;
    }
    printf("%s\n", pkhex);
    return 0;
}

int tool_region_main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "keygen"))
        return tool_region_keygen(argv[2]);
    fprintf(argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr,
            "usage: ecogov region keygen FILE\n"
            "Creates FILE with a new Ed25519 seed (region_key_file) and prints the public key.\n");
    return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : 2;
}
