/* approval_demo — the demo city's 三线一单 units (a 优先保护 unit with a hole
 * around 瑶里, a two-part 重点管控 unit in 高新区, a 一般管控 unit in 珠山区),
 * imported through siting_import like any real import. */
#include "api/approval.h"
#include "store/db.h"

#include <stdio.h>
#include <string.h>

static const char approval_demo_units[] =
    "{\"type\":\"FeatureCollection\",\"name\":\"景瓷市三线一单测试单元\",\"features\":[{\"type\":"
    "\"Feature"
    "\",\"properties\":{\"HJZHGKDYBM\":\"ZH36022210001\",\"HJZHGKDYMC\":"
    "\"瑶里生态保护红线优先保护单元\",\"ZH"
    "GKDYFL\":\"1\",\"AREA\":\"浮溪县\",\"KJBJYS\":\"1. "
    "生态保护红线内禁止开发性、生产性建设活动；\\n2. 禁止新建、扩建工业项目。\","
    "\"PWWPFGK\":\"不新增污染物排放。\",\"HJFXFK\":\"加强饮用水水源地风险防控。\",\"ZYKFXLYQ\":"
    "\"严格控制林地占用。\",\"rules\""
    ":[{\"kind\":\"prohibit\",\"industries\":[\"C30\",\"C26\",\"C336\"],\"condition\":"
    "\"禁止新建、扩建"
    "工业项目\",\"ref\":\"空间布局约束第1条\"}]},\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[[[117."
    "3,29.45],[117.5,29.45],[117.5,29.58],[117.3,29.58],[117.3,29.45]],[[117.38,29.5],[117.42,2"
    "9.5],[117.42,29.53],[117.38,29.53],[117.38,29.5]]]}},{\"type\":\"Feature\",\"properties\":"
    "{\"HJZHGKDYBM\":\"ZH36027120001\",\"HJZHGKDYMC\":\"高新区陶瓷产业集聚重点管控单元\","
    "\"ZHGKDYFL\":\"2\",\""
    "AREA\":\"高新区\",\"KJBJYS\":\"引导陶瓷企业入园集聚发展。\",\"PWWPFGK\":\"窑炉废气执行 GB "
    "25464 特别排放限值。\",\"HJFX"
    "FK\":\"建立园区环境风险应急体系。\",\"ZYKFXLYQ\":\"推广天然气等清洁能源。\",\"rules\":[{"
    "\"kind\":\"restrict\",\"in"
    "dustries\":[\"C3071\",\"C3072\"],\"condition\":\"须使用天然气等清洁能源，颗粒物、SO2、NOx "
    "排放总量等量替代\",\"ref\""
    ":\"污染物排放管控第2条\"},{\"kind\":\"prohibit\",\"industries\":[\"C2662\"],\"condition\":"
    "\"禁止新建涉重金"
    "属化工项目\",\"ref\":\"空间布局约束第3条\"}]},\"geometry\":{\"type\":\"MultiPolygon\","
    "\"coordinates\":["
    "[[[117.3,29.15],[117.45,29.15],[117.45,29.3],[117.3,29.3],[117.3,29.15]]],[[[117.48,29.2],"
    "[117.58,29.2],[117.58,29.3],[117.48,29.3],[117.48,29.2]]]]}},{\"type\":\"Feature\",\"prope"
    "rties\":{\"code\":\"ZH36020330001\",\"name\":\"珠山区一般管控单元\",\"class\":\"一般管控\","
    "\"AREA\":\"珠"
    "山区\",\"KJBJYS\":\"执行国家和省市产业政策。\",\"PWWPFGK\":\"\",\"HJFXFK\":\"\",\"ZYKFXLYQ\":"
    "\"\",\"rule"
    "s\":[]},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[117.15,29.15],[117.3,29.15],"
    "[117.3,29.25],[117.15,29.25],[117.15,29.15]]]}}]}";

int demo_approval(struct db *db, const struct audit_actor *actor)
{
    char msg[400];
    int64_t version;
    if (siting_import(db, actor, "景瓷市生态环境分区管控单元（演示）", approval_demo_units,
                      sizeof approval_demo_units - 1, &version, msg, sizeof msg)) {
        fprintf(stderr, "demo: siting units: %s\n", msg);
        return -1;
    }
    return 0;
}
