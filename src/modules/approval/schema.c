/* approval schema — tables of the EIA approval module (projects and
 * applications, pauses, notices, events, the preparer list, credit records,
 * configuration), the 三线一单 unit versions and siting checks, and the
 * investment and financing project library. */
#include "db/db.h"
#include "db/schema.h"

#include <sqlite3.h>

static const char *const schema_approval_steps[] = {
    /* 1 */
    "CREATE TABLE siting_versions ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  units INTEGER NOT NULL,"
    "  geojson TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL);"
    "CREATE TABLE siting_units ("
    "  version_id INTEGER NOT NULL REFERENCES siting_versions (id),"
    "  code TEXT NOT NULL,"
    "  attrs TEXT NOT NULL,"
    "  PRIMARY KEY (version_id, code)) WITHOUT ROWID;"
    "CREATE TABLE siting_checks ("
    "  id INTEGER PRIMARY KEY,"
    "  version_id INTEGER NOT NULL REFERENCES siting_versions (id),"
    "  enterprise_id INTEGER REFERENCES enterprises (id),"
    "  industry TEXT NOT NULL,"
    "  location TEXT NOT NULL,"
    "  result TEXT NOT NULL,"
    "  verdict TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"

    "CREATE TABLE eia_config ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  doc TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE TABLE eia_applications ("
    "  id INTEGER PRIMARY KEY,"
    "  number TEXT NOT NULL UNIQUE,"
    "  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),"
    "  project_name TEXT NOT NULL,"
    "  category TEXT NOT NULL CHECK (category IN ('报告书', '报告表', '登记表')),"
    "  route TEXT NOT NULL CHECK (route IN ('standard', 'commitment', 'exempt', 'filing')),"
    "  green INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT NOT NULL,"
    "  submitted_on TEXT NOT NULL,"
    "  accepted_on TEXT,"
    "  decided_on TEXT,"
    "  siting_check_id INTEGER REFERENCES siting_checks (id),"
    "  data TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  version INTEGER NOT NULL DEFAULT 1);"
    "CREATE INDEX eia_app_enterprise ON eia_applications (enterprise_id);"
    "CREATE INDEX eia_app_status ON eia_applications (status);"
    "CREATE TABLE eia_pauses ("
    "  id INTEGER PRIMARY KEY,"
    "  app_id INTEGER NOT NULL REFERENCES eia_applications (id),"
    "  kind TEXT NOT NULL,"
    "  start TEXT NOT NULL,"
    "  end TEXT);"
    "CREATE INDEX eia_pauses_app ON eia_pauses (app_id);"
    "CREATE TABLE eia_events ("
    "  id INTEGER PRIMARY KEY,"
    "  app_id INTEGER NOT NULL REFERENCES eia_applications (id),"
    "  kind TEXT NOT NULL,"
    "  day TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  detail TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE INDEX eia_events_app ON eia_events (app_id);"
    "CREATE TABLE eia_notices ("
    "  id INTEGER PRIMARY KEY,"
    "  app_id INTEGER NOT NULL REFERENCES eia_applications (id),"
    "  kind TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  start TEXT NOT NULL,"
    "  end TEXT NOT NULL,"
    "  published_at INTEGER NOT NULL);"
    "CREATE INDEX eia_notices_start ON eia_notices (start);"
    "CREATE TABLE eia_preparer_list ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  list TEXT NOT NULL CHECK (list IN ('限期整改', '黑名单')),"
    "  start TEXT NOT NULL,"
    "  end TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX eia_preparer_name ON eia_preparer_list (name);"
    "CREATE TABLE eia_credit_records ("
    "  id INTEGER PRIMARY KEY,"
    "  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),"
    "  app_id INTEGER REFERENCES eia_applications (id),"
    "  day TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE invest_projects ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('招商', '融资')),"
    "  sector TEXT NOT NULL,"
    "  amount REAL NOT NULL CHECK (amount >= 0),"
    "  status TEXT NOT NULL CHECK (status IN ('签约', '开工', '投产')),"
    "  enterprise_id INTEGER REFERENCES enterprises (id),"
    "  app_number TEXT NOT NULL DEFAULT '',"
    "  updated_on TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);",
    /* 2: the library's stage dates, so a project can be followed through
     * signing, construction and operation */
    "ALTER TABLE invest_projects ADD COLUMN signed_on TEXT;"
    "ALTER TABLE invest_projects ADD COLUMN started_on TEXT;"
    "ALTER TABLE invest_projects ADD COLUMN operating_on TEXT;"
    "ALTER TABLE invest_projects ADD COLUMN note TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX invest_status ON invest_projects (status);",
    /* 3: notices that revoke, withdraw or correct an earlier one name it,
     * so the original can be marked wherever it is shown */
    "ALTER TABLE eia_notices ADD COLUMN of_notice INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX eia_notices_of ON eia_notices (of_notice) WHERE of_notice > 0;",
    /* 4: the supervision case a project's 未批先建 was handed over as */
    "ALTER TABLE invest_projects ADD COLUMN case_id INTEGER;",
    /* 5: the files of each material, one row per version (the bytes and
     * their type are the service module's attachment, owner kind
     * "eia_material" of the application); an older version stays listed */
    "CREATE TABLE eia_material_files ("
    "  id INTEGER PRIMARY KEY,"
    "  app_id INTEGER NOT NULL REFERENCES eia_applications (id),"
    "  key TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  attachment_id INTEGER NOT NULL UNIQUE,"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  UNIQUE (app_id, key, version));",
};

/* The default configuration, with its sources (admin-rules §1–3); admins
 * replace it through PUT /api/v1/approval/config. */
static const char schema_approval_default_config[] =
    "{\"source\":\"环评法第22条；建设项目环境保护管理条例第9条；部令第9号第20条；"
    "环综合〔2020〕13号正面清单；本地承诺时限和告知承诺事后核查时限（配置）\","
    "\"limits\":{"
    "\"报告书\":{\"statutory\":60,\"statutory_unit\":\"days\",\"promised\":20,\"green_promised\":"
    "10,"
    "\"commitment_promised\":1},"
    "\"报告表\":{\"statutory\":30,\"statutory_unit\":\"days\",\"promised\":7,\"green_promised\":5,"
    "\"commitment_promised\":1}},"
    "\"signoff\":{\"section\":\"环评科\",\"chiefs\":[],\"leaders\":[],\"note\":"
    "\"经办人（本科室工作人员）拟办、科长（chiefs 所列用户）审核、分管局领导（leaders 所列用户，"
    "空则任一局领导账号）签发\"},"
    "\"warn_workdays\":2,\"correction_workdays\":5,\"recheck_days\":10,"
    "\"postcheck_workdays\":20,"
    "\"notices\":{\"accept\":{\"报告书\":10,\"报告表\":5},\"pre_approval\":5,"
    "\"hearing_request_days\":5,\"decision\":7},"
    "\"routes\":["
    "{\"route\":\"exempt\",\"industries\":[\"C1391\",\"C14\",\"F52\",\"O8111\"],"
    "\"categories\":[\"登记表\"],\"note\":\"正面清单：豁免环评手续（排污许可登记管理）\"},"
    "{\"route\":\"commitment\",\"industries\":[\"C3074\",\"C3075\",\"C3079\",\"C14\"],"
    "\"categories\":[\"报告表\"],\"note\":\"正面清单：告知承诺制审批（不含环境敏感区）\"}],"
    "\"materials\":{"
    "\"报告书\":["
    "{\"key\":\"application\",\"name\":\"建设项目环境影响评价文件报批申请书\",\"core\":true},"
    "{\"key\":\"report\",\"name\":\"环境影响报告书（报批稿全本）\",\"core\":true},"
    "{\"key\":\"participation\",\"name\":\"公众参与说明\",\"core\":true},"
    "{\"key\":\"preparer\",\"name\":\"编制单位和编制人员信息（信用平台）\",\"core\":true},"
    "{\"key\":\"planning\",\"name\":\"规划选址或用地预审意见（复印件）\",\"core\":false},"
    "{\"key\":\"filing\",\"name\":\"项目立项/备案文件\",\"core\":false}],"
    "\"报告表\":["
    "{\"key\":\"application\",\"name\":\"建设项目环境影响评价文件报批申请书\",\"core\":true},"
    "{\"key\":\"report\",\"name\":\"环境影响报告表（报批稿）\",\"core\":true},"
    "{\"key\":\"preparer\",\"name\":\"编制单位和编制人员信息（信用平台）\",\"core\":true},"
    "{\"key\":\"planning\",\"name\":\"规划选址或用地预审意见（复印件）\",\"core\":false},"
    "{\"key\":\"filing\",\"name\":\"项目立项/备案文件\",\"core\":false}],"
    "\"登记表\":["
    "{\"key\":\"commitment\",\"name\":\"法定代表人签署的真实性承诺\",\"core\":true}]}}";

static int schema_approval_after(struct db *db, size_t step)
{
    if (step != 0)
        return 0;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO eia_config (id, doc, updated_at) VALUES (1, ?, 0)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, schema_approval_default_config, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return rc;
}

const struct schema_module schema_approval = {
    "approval", schema_approval_steps,
    sizeof schema_approval_steps / sizeof schema_approval_steps[0], schema_approval_after};
