/* profiles.c: the table of LA profiles, made from profile_list.h. Nothing
 * else is here, so that a test can link a table of its own (with a fourth
 * LA, say) in place of this one. */
#include "profile.h"

const pep_profile pep_profiles[] = {
#include "profile_list.h"
};
const size_t pep_profiles_count = sizeof pep_profiles / sizeof pep_profiles[0];
