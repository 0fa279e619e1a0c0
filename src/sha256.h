/* sha256.h: SHA-256 (FIPS 180-4), for the hashes of the inline script and
 * style that the HTML pages' Content-Security-Policy allows, and for the
 * identity outfile.h writes into each output. */
#ifndef PEP_SHA256_H
#define PEP_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* The digest of data[0..len). */
void pep_sha256(const void *data, size_t len, uint8_t out[32]);
/* The digest in base64 (44 characters and a NUL), as CSP writes it. */
void pep_sha256_base64(const void *data, size_t len, char out[45]);

#endif
