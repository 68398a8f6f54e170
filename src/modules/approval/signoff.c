/* approval signoff — the bureau's internal sign-off chain before a decision:
 * the 经办人 (a staff member of the approval section) drafts the opinion
 * with the proposed decision, the 科长 (a staff member the configuration
 * names as chief of that section) reviews it, the 分管局领导 (a leader, or
 * one the configuration names) signs it; each may return it one step back
 * with reasons. The decision (approval_act_decide) is refused until the
 * chain is signed and must be the decision signed. Each step is an explicit
 * act by a named user: its event and audit entry are written by
 * approval_apply like every act's, and the step keeps user, opinion and time.
 *
 * The roles come from the role matrix (staff, leader) and the section the
 * account belongs to; the chief, having no role of its own, is named in the
 * configuration ("signoff": {"section", "chiefs", "leaders"}: user names),
 * the smallest addition that lets an admin say who heads the section. */
#include "modules/approval/procedure.h"
#include "app/field.h"
#include "core/timeutil.h"
#include "db/users.h"

#include <stdio.h>
#include <string.h>

/* The configured approval section (default 环评科). */
static const char *approval_signoff_section(json_t *cfg)
{
    const char *s = json_string_value(json_object_get(json_object_get(cfg, "signoff"), "section"));
    return s && *s ? s : "环评科";
}

/* Whether name is on the configuration's list `key` under "signoff". */
static bool approval_signoff_listed(json_t *cfg, const char *key, const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(json_object_get(cfg, "signoff"), key), i,
                       v) if (json_is_string(v) && !strcmp(json_string_value(v), name)) return true;
    return false;
}

/* The user may act as the step's role. */
static bool approval_signoff_role(json_t *cfg, const struct user *u, const char *step)
{
    if (!strcmp(step, "sign")) {
        json_t *leaders = json_object_get(json_object_get(cfg, "signoff"), "leaders");
        return u->role == ROLE_LEADER &&
               (!json_array_size(leaders) || approval_signoff_listed(cfg, "leaders", u->username));
    }
    if (u->role != ROLE_STAFF || strcmp(u->section_name, approval_signoff_section(cfg)))
        return false;
    return !strcmp(step, "review") ? approval_signoff_listed(cfg, "chiefs", u->username) : true;
}

static const char *approval_signoff_role_zh(const char *step)
{
    return !strcmp(step, "draft") ? "经办人" : !strcmp(step, "review") ? "科长" : "分管局领导";
}

/* The step awaiting an act: draft (also before any), review, sign, signed. */
const char *approval_signoff_state(const struct approval_row *a)
{
    const char *s =
        json_string_value(json_object_get(json_object_get(a->data, "signoff"), "state"));
    return s ? s : "draft";
}

/* The case is in review and the user may do `step` of it, and did no other
 * step of the current round. */
static enum err approval_signoff_check(struct approval_act *x, const char *step)
{
    if (strcmp(x->a->status, "accepted"))
        return problem_set(x->p, ERR_INVALID_STATE, "action", "当前状态（%s）不能签批",
                           x->a->status);
    const char *state = approval_signoff_state(x->a);
    if (strcmp(state, step))
        return problem_set(x->p, ERR_INVALID_STATE, "action", "签批流程当前在“%s”环节",
                           !strcmp(state, "signed") ? "已签发" : approval_signoff_role_zh(state));
    if (!x->user)
        return problem_set(x->p, ERR_FORBIDDEN, NULL, "签批须由具名用户办理");
    if (!approval_signoff_role(x->cfg, x->user, step))
        return problem_set(x->p, ERR_FORBIDDEN, "action", "须由%s办理（%s）",
                           approval_signoff_role_zh(step),
                           !strcmp(step, "sign")     ? "领导账号"
                           : !strcmp(step, "review") ? "审批配置 signoff.chiefs 所列科长"
                                                     : approval_signoff_section(x->cfg));
    /* four eyes: one person, one step of the round */
    json_t *so = json_object_get(x->a->data, "signoff");
    json_int_t round = json_integer_value(json_object_get(so, "round"));
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(so, "history"), i, h)
    {
        const char *act = json_string_value(json_object_get(h, "act"));
        if (json_integer_value(json_object_get(h, "round")) == round && act &&
            strcmp(act, "return") &&
            json_integer_value(json_object_get(h, "user_id")) == (json_int_t)x->user->id &&
            strcmp(json_string_value(json_object_get(h, "step")), step))
            return problem_set(x->p, ERR_CONFLICT, "action", "同一人不能办理签批的两个环节");
    }
    return ERR_OK;
}

/* Appends a step to the history and moves the chain to `next`. */
static enum err approval_signoff_record(struct approval_act *x, const char *step, const char *act,
                                        const char *text, const char *next)
{
    json_t *so = json_object_get(x->a->data, "signoff");
    if (!so) {
        so = json_pack("{si s[]}", "round", 1, "history");
        json_object_set_new(x->a->data, "signoff", so);
    }
    char at[40];
    timeutil_format_iso(timeutil_now(), at, sizeof at);
    json_t *h = json_pack(
        "{ss ss ss sI ss ss ss ss sI}", "step", step, "role", approval_signoff_role_zh(step), "act",
        act, "user_id", (json_int_t)x->user->id, "username", x->user->username, "name",
        *x->user->display_name ? x->user->display_name : x->user->username, "opinion", text, "on",
        x->on, "round", json_integer_value(json_object_get(so, "round")));
    json_object_set_new(h, "at", json_string(at));
    json_array_append_new(json_object_get(so, "history"), h);
    json_object_set_new(so, "state", json_string(next));
    json_object_set_new(x->detail, "step", json_string(step));
    json_object_set_new(x->detail, "opinion", json_string(text));
    json_object_set_new(x->detail, "user", json_string(x->user->username));
    return ERR_OK;
}

static int approval_signoff_opinion(struct approval_act *x, const char *key, const char *label,
                                    const char **text)
{
    struct problem q;
    if (field_text(x->in, key, NULL, 2000, FIELD_REQUIRED | FIELD_MULTILINE, text, &q))
        return problem_set(x->p, ERR_INVALID_FIELD, key, "请填写%s（不超过 2000 字节）", label), -1;
    return 0;
}

enum err approval_act_signoff_draft(struct approval_act *x)
{
    static const char *const decisions[] = {"approve", "refuse", NULL};
    enum err e = approval_signoff_check(x, "draft");
    if (e)
        return e;
    if (json_array_size(json_object_get(x->a->data, "missing")))
        return problem_set(x->p, ERR_CONFLICT, "materials", "容缺材料尚未补齐，不能拟办审批意见");
    const char *opinion, *decision, *conditions;
    int64_t ground = 0;
    struct problem q;
    if (approval_signoff_opinion(x, "opinion", "拟办意见", &opinion))
        return x->p->err;
    if (field_choice(x->in, "decision", NULL, decisions, FIELD_REQUIRED, NULL, &decision, &q))
        return problem_set(x->p, ERR_INVALID_FIELD, "decision", "拟办决定须为 approve 或 refuse");
    bool approve = !strcmp(decision, "approve");
    if (!approve && field_int(x->in, "ground", NULL, 1, 5, FIELD_REQUIRED, 0, &ground, &q))
        return problem_set(x->p, ERR_INVALID_FIELD, "ground",
                           "不予批准须依据条例第十一条所列情形之一（1-5）");
    /* the conditions the 批复 will set (环保措施、总量、验收), one text */
    if (field_text(x->in, "conditions", NULL, 8000, FIELD_OPTIONAL | FIELD_MULTILINE, &conditions,
                   &q))
        return problem_set(x->p, ERR_INVALID_FIELD, "conditions", "批复要求不超过 8000 字节");
    approval_signoff_record(x, "draft", "draft", opinion, "review");
    json_object_set_new(json_object_get(x->a->data, "signoff"), "proposal",
                        json_pack("{ss si ss}", "decision", decision, "ground", (int)ground,
                                  "conditions", approve ? conditions : ""));
    json_object_set_new(x->detail, "decision", json_string(decision));
    return ERR_OK;
}

enum err approval_act_signoff_review(struct approval_act *x)
{
    const char *opinion;
    enum err e = approval_signoff_check(x, "review");
    if (e || approval_signoff_opinion(x, "opinion", "审核意见", &opinion))
        return e ? e : x->p->err;
    return approval_signoff_record(x, "review", "agree", opinion, "sign");
}

enum err approval_act_signoff_sign(struct approval_act *x)
{
    const char *opinion;
    enum err e = approval_signoff_check(x, "sign");
    if (e || approval_signoff_opinion(x, "opinion", "签发意见", &opinion))
        return e ? e : x->p->err;
    return approval_signoff_record(x, "sign", "sign", opinion, "signed");
}

/* The 科长 returns the draft to the 经办人, the leader the review to the
 * 科长; a return to the draft starts a new round (a new draft, new eyes). */
enum err approval_act_signoff_return(struct approval_act *x)
{
    char state[8]; /* a copy: recording the step replaces the case's own */
    snprintf(state, sizeof state, "%s", approval_signoff_state(x->a));
    if (strcmp(state, "review") && strcmp(state, "sign"))
        return problem_set(x->p, ERR_INVALID_STATE, "action", "签批流程当前没有可退回的环节");
    const char *reason;
    enum err e = approval_signoff_check(x, state);
    if (e || approval_signoff_opinion(x, "reason", "退回理由", &reason))
        return e ? e : x->p->err;
    bool to_draft = !strcmp(state, "review");
    approval_signoff_record(x, state, "return", reason, to_draft ? "draft" : "review");
    json_t *so = json_object_get(x->a->data, "signoff");
    if (to_draft) {
        json_object_set_new(so, "round",
                            json_integer(json_integer_value(json_object_get(so, "round")) + 1));
        json_object_del(so, "proposal");
    }
    json_object_set_new(x->detail, "to", json_string(to_draft ? "draft" : "review"));
    return ERR_OK;
}

enum err approval_signoff_decision(struct approval_act *x, const char *decision, int64_t *ground)
{
    json_t *so = json_object_get(x->a->data, "signoff");
    if (strcmp(approval_signoff_state(x->a), "signed"))
        return problem_set(x->p, ERR_CONFLICT, "signoff",
                           "审批意见尚未完成 经办人拟办 → 科长审核 → 分管局领导签发，不得作出决定");
    json_t *prop = json_object_get(so, "proposal");
    if (strcmp(json_string_value(json_object_get(prop, "decision")), decision))
        return problem_set(x->p, ERR_CONFLICT, "decision", "决定须与签发的审批意见一致（%s）",
                           !strcmp(json_string_value(json_object_get(prop, "decision")), "approve")
                               ? "批准"
                               : "不予批准");
    json_int_t signed_ground = json_integer_value(json_object_get(prop, "ground"));
    if (*ground && *ground != signed_ground)
        return problem_set(x->p, ERR_CONFLICT, "ground", "不予批准的依据须与签发的审批意见一致");
    *ground = signed_ground;
    return ERR_OK;
}
