/* Supervised STDP + All-LTD (seed 001, shared/SCIENCE.md "Further rules"). */
#include "rules/stdp.h"

int xb_supervised_post_sign(int c, int columns, int segments, int target)
{
    if (target < 0 || segments < 1) return 1;
    return xb_rule_segment(c, columns, segments) == target ? 1 : -1;
}

/* Supervised STDP + All-LTD (seed 001): the pre branch is STDP's (dt < 0: A_post exp(dt /
 * tau_post), A_post = -nu_pre), the post branch STDP's potentiation (dt > 0: A_pre exp(-dt /
 * tau_pre), A_pre = nu_post) in the target's segment and its mirror -A_pre exp(-dt / tau_pre)
 * (All-LTD) in every other segment. */
const xb_rule_ops_t xb_rule_supervised_all_ltd = {
    "supervised_all_ltd", XB_RULE_PRE_TRACE | XB_RULE_POST_TRACE | XB_RULE_LABEL, 1,
    xb_supervised_post_sign, xb_stdp_pre, xb_stdp_post, xb_stdp_pre_sparse, xb_stdp_post_commit};
