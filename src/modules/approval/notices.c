/* approval notices — the notices that undo or amend earlier ones. A
 * revoked approval, a withdrawn application and a corrected notice are each
 * published as a notice of their own (撤销公告, 撤回公告, 更正公告) that
 * names the notice it concerns (of_notice); the public list and the feeds
 * then mark the original (superseded_by), so nobody reads an approval as
 * standing after it was revoked. Notices are never edited or deleted. */
#include "modules/approval/procedure.h"
#include "app/field.h"
#include "domain/eiaclock.h"

#include <stdio.h>
#include <string.h>

/* Publishes a notice of kind about notice of (0: none) of the case, open
 * for the configured days from the act's date. 0, or -1 with p filled. */
static int approval_publish(struct approval_act *x, const char *kind, int64_t of, const char *title,
                            const char *body, int days)
{
    char end[11];
    calendar_format_date(eiaclock_add_workdays(x->cal, x->day, days), end);
    if (approval_store_notice(x->db, x->a->id, kind, title, body, x->on, end, of))
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL)), -1;
    return 0;
}

int approval_notice_revocation(struct approval_act *x, const char *reason)
{
    int64_t decision = approval_store_notice_of_kind(x->db, x->a->id, "decision");
    if (decision < 0)
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL)), -1;
    const char *doc =
        json_string_value(json_object_get(json_object_get(x->a->data, "decision"), "doc_no"));
    char title[300], body[1200];
    snprintf(title, sizeof title, "撤销审批决定公告：%s（%s）", approval_project_name(x->a),
             doc ? doc : x->a->number);
    snprintf(
        body, sizeof body,
        "我局对%s环境影响%s作出的批准决定（%s）于 %s 依法撤销，原审批决定公告同时标注为已撤销。"
        "理由：%s。如不服，可在公告期满之日起 60 日内申请行政复议，或 6 个月内提起行政诉讼。",
        approval_project_name(x->a), x->a->category, doc ? doc : x->a->number, x->on, reason);
    return approval_publish(x, "revocation", decision, title, body,
                            approval_cfg_int(x->cfg, "notices", "decision", NULL, 7));
}

enum err approval_act_withdraw(struct approval_act *x)
{
    static const char *const open[] = {"submitted", "correction", "accepted"};
    bool ok = false;
    for (size_t i = 0; i < sizeof open / sizeof *open; i++)
        ok = ok || !strcmp(x->a->status, open[i]);
    if (!ok)
        return problem_set(x->p, ERR_INVALID_STATE, "action", "只有尚未作出决定的申请可以撤回");
    const char *reason;
    if (field_text(x->in, "reason", "撤回理由", 500, FIELD_REQUIRED, &reason, x->p))
        return x->p->err;
    snprintf(x->a->status, sizeof x->a->status, "withdrawn");
    json_object_set_new(x->detail, "reason", json_string(reason));
    /* The public saw the acceptance (and maybe the proposed approval): they
     * see the withdrawal too, and those notices marked. */
    int64_t shown = approval_store_notice_of_kind(x->db, x->a->id, "pre_approval");
    if (shown == 0)
        shown = approval_store_notice_of_kind(x->db, x->a->id, "accept");
    if (shown < 0)
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    if (shown == 0)
        return ERR_OK;
    char title[300], body[900];
    snprintf(title, sizeof title, "撤回公告：%s", approval_project_name(x->a));
    snprintf(body, sizeof body,
             "建设单位于 %s 撤回%s环境影响%s的审批申请（受理编号 %s），本局终止审批，此前公示一并"
             "失效。撤回理由：%s。",
             x->on, approval_project_name(x->a), x->a->category, x->a->number, reason);
    if (approval_publish(x, "withdrawal", shown, title, body,
                         approval_cfg_int(x->cfg, "notices", "decision", NULL, 7)))
        return x->p->err;
    return ERR_OK;
}

enum err approval_act_notice_correct(struct approval_act *x)
{
    int64_t of;
    const char *text, *reason;
    if (field_id(x->in, "notice_id", "被更正的公告", FIELD_REQUIRED, &of, x->p) ||
        field_text(x->in, "text", "更正内容", 1000, FIELD_REQUIRED | FIELD_MULTILINE, &text,
                   x->p) ||
        field_text(x->in, "reason", "更正理由", 500, FIELD_REQUIRED, &reason, x->p))
        return x->p->err;
    json_t *orig = approval_store_notice_get(x->db, of);
    if (!orig || json_integer_value(json_object_get(orig, "app_id")) != x->a->id) {
        json_decref(orig);
        return problem_set(x->p, ERR_NOT_FOUND, "notice_id", "本案没有该公告");
    }
    char title[400], body[2000];
    snprintf(title, sizeof title, "更正公告：%s",
             json_string_value(json_object_get(orig, "title")));
    snprintf(body, sizeof body, "我局 %s 发布的《%s》更正如下：%s（更正理由：%s）",
             json_string_value(json_object_get(orig, "start")),
             json_string_value(json_object_get(orig, "title")), text, reason);
    json_decref(orig);
    json_object_set_new(x->detail, "notice_id", json_integer(of));
    json_object_set_new(x->detail, "reason", json_string(reason));
    if (approval_publish(x, "correction", of, title, body,
                         approval_cfg_int(x->cfg, "notices", "decision", NULL, 7)))
        return x->p->err;
    return ERR_OK;
}
