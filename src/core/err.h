/* err — the one project-wide error enum.
 *
 * Generated from a single table (libuv's UV_ERRNO_MAP, curl's CURLcode) that
 * also gives the HTTP status and the stable JSON code clients may depend on.
 * Codes never change meaning once published; add new rows at the end. */
#ifndef ECOGOV_ERR_H
#define ECOGOV_ERR_H

/* X(name, http_status, "json_code", "default message (zh)") */
#define ERR_MAP(X)                                                                     \
    X(OK, 200, "ok", "成功")                                                           \
    X(BAD_REQUEST, 400, "bad_request", "请求格式错误")                                 \
    X(BAD_JSON, 400, "bad_json", "JSON 格式错误")                                      \
    X(UNAUTHENTICATED, 401, "unauthenticated", "请先登录")                             \
    X(SESSION_EXPIRED, 401, "session_expired", "会话已过期，请重新登录")               \
    X(BAD_CREDENTIALS, 401, "bad_credentials", "用户名或密码错误")                     \
    X(FORBIDDEN, 403, "forbidden", "无权执行此操作")                                   \
    X(CSRF_FAILED, 403, "csrf_failed", "缺少或错误的 CSRF 令牌")                       \
    X(NOT_FOUND, 404, "not_found", "未找到")                                           \
    X(METHOD_NOT_ALLOWED, 405, "method_not_allowed", "不支持的请求方法")               \
    X(CONFLICT, 409, "conflict", "记录已存在")                                         \
    X(VERSION_CONFLICT, 409, "version_conflict", "记录已被他人修改，请刷新后重试")     \
    X(BODY_TOO_LARGE, 413, "body_too_large", "请求体过大")                             \
    X(UNSUPPORTED_MEDIA, 415, "unsupported_media_type", "不支持的内容类型")            \
    X(INVALID_FIELD, 422, "invalid_field", "字段值无效")                               \
    X(INVALID_USCC, 422, "invalid_uscc", "统一社会信用代码无效")                       \
    X(IMPORT_ERRORS, 422, "import_errors", "导入文件有错误，未导入任何记录")           \
    X(TOO_MANY_ATTEMPTS, 429, "too_many_attempts", "尝试次数过多，请稍后再试")         \
    X(INTERNAL, 500, "internal", "服务器内部错误")                                     \
    X(UNAVAILABLE, 503, "unavailable", "服务暂不可用")                                 \
    X(TOKEN_INVALID, 404, "form_token_invalid", "表单链接无效")                         \
    X(TOKEN_USED, 410, "form_token_used", "表单链接已使用或已过期")                     \
    X(RATING_INVALID, 422, "rating_invalid", "评价须为五个等级之一")                    \
    X(ATTACHMENT_TOO_LARGE, 413, "attachment_too_large", "附件过大")                    \
    X(ATTACHMENT_TYPE, 415, "attachment_type", "附件类型不受支持")                      \
    X(DEADLINE_NOT_WORKDAY, 422, "deadline_not_workday", "办理期限须为工作日")          \
    X(EVIDENCE_REQUIRED, 422, "evidence_required", "办结前须上传佐证材料")              \
    X(INVALID_STATE, 409, "invalid_state", "当前状态不允许此操作")                     \
    X(BACKDATED, 409, "backdated", "不能回溯变更已公开期间的名单")                     \
    X(DRAW_POOL_TOO_SMALL, 422, "draw_pool_too_small", "抽取数量超过检查对象库数量")   \
    X(INSPECTOR_CONFLICT, 409, "inspector_conflict", "执法人员存在利益冲突")           \
    X(UNKNOWN_BEHAVIOUR, 422, "unknown_behaviour", "记分规则中没有此失信行为")         \
    X(CRITERIA_NOT_MET, 422, "criteria_not_met", "不符合正面清单纳入条件")             \
    X(ALARM_DATA_INVALID, 422, "alarm_data_invalid", "报警所依据的数据无效")

enum err {
#define ERR_ENUM(name, status, code, msg) ERR_##name,
    ERR_MAP(ERR_ENUM)
#undef ERR_ENUM
        ERR__COUNT
};

int err_http_status(enum err e);
const char *err_code(enum err e);
const char *err_message(enum err e);

#endif
