/* approval decision — the decision document (批复 / 不予批准的决定) the server
 * writes when a decision is issued: composed from the case (project,
 * category, number, applicant, the conditions the sign-off chain signed, the
 * statutory ground of a refusal, the date) and the bureau's name from the
 * configuration, rendered as PDF (decision_pdf.c) with a QR code leading to
 * the public progress of the case for verification, and stored in the same
 * transaction as the decision as a service attachment (owner kind
 * "eia_decision", enterprise = the applicant), so staff and the applicant
 * download it through the one attachment route with its role check. */
#include "modules/approval/decision_pdf.h"
#include "modules/approval/procedure.h"
#include "core/config.h"
#include "modules/service/service.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const approval_cn_numbers[] = {"一", "二", "三", "四", "五",
                                                  "六", "七", "八", "九", "十"};

/* "2026-10-03" as 2026年10月3日. */
static void approval_date_zh(const char *on, char *out, size_t size)
{
    snprintf(out, size, "%.4s年%d月%d日", on, (int)strtol(on + 5, NULL, 10),
             (int)strtol(on + 8, NULL, 10));
}

static void approval_para(json_t *paras, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void approval_para(json_t *paras, const char *fmt, ...)
{
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    json_array_append_new(paras, json_string(text));
}

/* The body of an approval: the opinion, the conditions signed (one
 * paragraph per line), the statutory reminders, the rights of appeal. */
static void approval_decision_approve(const struct approval_act *x, json_t *paras,
                                      const char *conditions)
{
    const char *cat = x->a->category;
    json_t *pj = json_object_get(x->a->data, "project");
    const char *nature = json_string_value(json_object_get(pj, "nature"));
    double invest = json_number_value(json_object_get(pj, "investment"));
    int n = 0;
    char nat[64] = "";
    if (nature && *nature)
        snprintf(nat, sizeof nat, "建设性质为%s，", nature);
    approval_para(paras,
                  "%s、该项目%s总投资%.0f万元。在全面落实%s提出的各项生态环境保护措施后，项目"
                  "建设对环境的不利影响能够得到缓解和控制。从生态环境保护角度，我局同意该项目按照%s"
                  "所列的性质、规模、地点和生态环境保护措施进行建设。",
                  approval_cn_numbers[n++], nat, invest, cat, cat);
    if (conditions && *conditions) {
        approval_para(paras, "%s、项目建设和运行中应重点做好以下工作：", approval_cn_numbers[n++]);
        /* one paragraph per line of the signed conditions */
        for (const char *line = conditions; *line;) {
            const char *end = strchr(line, '\n');
            size_t w = end ? (size_t)(end - line) : strlen(line);
            while (w && (line[w - 1] == '\r' || line[w - 1] == ' '))
                w--;
            if (w)
                approval_para(paras, "%.*s", (int)w, line);
            line += end ? (size_t)(end - line) + 1 : strlen(line);
        }
    }
    approval_para(paras,
                  "%s、项目的性质、规模、地点、采用的生产工艺或者防治污染、防止生态破坏的措施发生"
                  "重大变动的，应当重新报批环境影响评价文件；自批准之日起超过五年方决定开工建设的，"
                  "应当报我局重新审核。",
                  approval_cn_numbers[n++]);
    approval_para(paras,
                  "%s、项目竣工后，应当按照规定开展竣工环境保护验收，验收合格后方可投入生产或者"
                  "使用。",
                  approval_cn_numbers[n++]);
}

/* Renders the document and stores it with the case; 0, or -1 with x->p
 * filled. */
int approval_decision_document(struct approval_act *x, const char *doc_no, bool approve, int ground,
                               const char *ground_text)
{
    if (!x->config || !x->config->var_dir)
        return problem_set(x->p, ERR_INTERNAL, NULL, "无法生成审批决定文书（未配置文件目录）"), -1;
    const char *project = approval_project_name(x->a), *cat = x->a->category;
    const char *bureau =
        x->config->bureau_name && *x->config->bureau_name ? x->config->bureau_name : "生态环境局";
    json_t *ename = approval_store_enterprise_name(x->db, x->a->enterprise_id);
    json_t *so = json_object_get(x->a->data, "signoff");
    const char *conditions =
        json_string_value(json_object_get(json_object_get(so, "proposal"), "conditions"));
    char title[600], addressee[400], date_zh[40], url[600], caption[900];
    snprintf(title, sizeof title,
             approve ? "关于%s环境影响%s的批复" : "关于%s环境影响%s不予批准的决定", project, cat);
    snprintf(addressee, sizeof addressee, "%s：", ename ? json_string_value(ename) : "");
    json_decref(ename);
    approval_date_zh(x->on, date_zh, sizeof date_zh);
    json_t *paras = json_array();
    approval_para(paras, "你单位报送的《%s环境影响%s》（受理编号 %s）收悉。经研究，%s", project,
                  cat, x->a->number, approve ? "批复如下：" : "决定如下：");
    if (approve)
        approval_decision_approve(x, paras, conditions);
    else
        approval_para(
            paras,
            "经审查，该项目存在以下情形：%s（《建设项目环境保护管理条例》第十一条第（%s）"
            "项）。根据《中华人民共和国环境影响评价法》和《建设项目环境保护管理条例》的规定，"
            "我局决定对该项目环境影响%s不予批准。",
            ground_text, approval_cn_numbers[ground > 0 && ground <= 10 ? ground - 1 : 0], cat);
    approval_para(paras, "如不服本决定，可在收到本决定之日起60日内依法申请行政复议，或者在6个月内"
                         "依法提起行政诉讼。");
    const char *base = x->config->public_url ? x->config->public_url : "";
    size_t bl = strlen(base);
    snprintf(url, sizeof url, "%.*s/progress?number=%s",
             (int)(bl && base[bl - 1] == '/' ? bl - 1 : bl), base, x->a->number);
    snprintf(caption, sizeof caption, "扫码核验：在%s网站查看本件的公开办理进度和公告\n%s", bureau,
             url);
    struct decision_pdf d = {bureau, doc_no, title, addressee, paras, date_zh, url, caption};
    char *pdf = NULL;
    size_t len = 0;
    int rc = decision_pdf_render(&d, &pdf, &len);
    json_decref(paras);
    if (rc)
        return problem_set(x->p, ERR_INTERNAL, NULL, "审批决定文书生成失败"), -1;
    struct svc_ctx sc = {.db = x->db, .cfg = x->config, .actor = x->actor, .user = x->user};
    svc_ctx_clock(&sc);
    char filename[120];
    snprintf(filename, sizeof filename, "%s.pdf", doc_no);
    int64_t aid = 0;
    struct problem q;
    enum err e = svc_attach_put(&sc, "eia_decision", x->a->id, x->a->enterprise_id, 0, filename,
                                pdf, len, &aid, &q);
    free(pdf);
    if (e) {
        *x->p = q;
        return -1;
    }
    char link[64];
    snprintf(link, sizeof link, "/api/v1/service/attachments/%lld", (long long)aid);
    json_object_set_new(json_object_get(x->a->data, "decision"), "document",
                        json_pack("{sI ss ss sI ss}", "attachment_id", (json_int_t)aid, "url", link,
                                  "filename", filename, "size", (json_int_t)len, "verify_url",
                                  url));
    json_object_set_new(x->detail, "document", json_integer(aid));
    return 0;
}
