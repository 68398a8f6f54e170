/* pmf_names — the marker-species table that suggests a source name for a
 * factor (issue 14, item 4); see pmf.h.
 *
 * A factor's score for a source is the mean, over that source's marker species
 * present in the data, of the % of the species the factor explains. The best
 * score names the factor when it reaches PMF_NAME_MIN_SCORE; the analyst
 * confirms or renames it. */
#include "domain/pmf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Below this mean % of markers the factor is left "unknown". */
#define PMF_NAME_MIN_SCORE 25.0

/* Marker species and the names they go by in EPA, Chinese lab and symbol form. */
enum pmf_marker {
    MK_SO4,
    MK_NH4,
    MK_NO3,
    MK_KION,
    MK_K,
    MK_OC,
    MK_EC,
    MK_CA,
    MK_FE,
    MK_AL,
    MK_SI,
    MK_TI,
    MK_ZN,
    MK_CL,
    MK_AS,
    MK_SE,
    MK_PB,
    MK_NI,
    MK_V,
    MK_CR,
    MK_CU,
    MK_MN,
    MK_NA,
    MK_COUNT
};

static const char *const pmf_marker_alias[MK_COUNT][8] = {
    [MK_SO4] = {"SO4", "Sulfate", "Sulphate", "SO42-", "SO4 2-", "硫酸盐", "硫酸根"},
    [MK_NH4] = {"NH4", "Ammonium", "Ammonium Ion", "NH4+", "铵盐", "铵根", "铵"},
    [MK_NO3] = {"NO3", "Nitrate", "Total Nitrate", "NO3-", "硝酸盐", "硝酸根"},
    [MK_KION] = {"K+", "Potassium Ion", "Kion", "钾离子"},
    [MK_K] = {"K", "Potassium", "钾"},
    [MK_OC] = {"OC", "Organic Carbon", "有机碳"},
    [MK_EC] = {"EC", "Elemental Carbon", "元素碳"},
    [MK_CA] = {"Ca", "Calcium", "Ca2+", "钙"},
    [MK_FE] = {"Fe", "Iron", "铁"},
    [MK_AL] = {"Al", "Aluminum", "Aluminium", "铝"},
    [MK_SI] = {"Si", "Silicon", "硅"},
    [MK_TI] = {"Ti", "Titanium", "钛"},
    [MK_ZN] = {"Zn", "Zinc", "锌"},
    [MK_CL] = {"Cl", "Chlorine", "Chloride", "Cl-", "氯", "氯离子"},
    [MK_AS] = {"As", "Arsenic", "砷"},
    [MK_SE] = {"Se", "Selenium", "硒"},
    [MK_PB] = {"Pb", "Lead", "铅"},
    [MK_NI] = {"Ni", "Nickel", "镍"},
    [MK_V] = {"V", "Vanadium", "钒"},
    [MK_CR] = {"Cr", "Chromium", "铬"},
    [MK_CU] = {"Cu", "Copper", "铜"},
    [MK_MN] = {"Mn", "Manganese", "锰"},
    [MK_NA] = {"Na", "Sodium", "Sodium Ion", "Na+", "钠", "钠离子"},
};

struct pmf_source {
    const char *key, *zh, *en, *markers;
    enum pmf_marker mk[6];
    int nmk;
};

static const struct pmf_source pmf_sources[] = {
    {"sulfate", "二次硫酸盐", "Secondary sulfate", "SO4, NH4", {MK_SO4, MK_NH4}, 2},
    {"nitrate", "二次硝酸盐", "Secondary nitrate", "NO3, NH4", {MK_NO3, MK_NH4}, 2},
    {"biomass", "生物质燃烧", "Biomass burning", "K+ (K), OC", {MK_KION, MK_K, MK_OC}, 3},
    {"dust", "扬尘", "Dust", "Ca, Fe, Al, Si, Ti", {MK_CA, MK_FE, MK_AL, MK_SI, MK_TI}, 5},
    {"vehicle", "机动车", "Vehicles", "EC, OC, Zn", {MK_EC, MK_OC, MK_ZN}, 3},
    {"coal", "燃煤", "Coal combustion", "Cl, As, Se, Pb", {MK_CL, MK_AS, MK_SE, MK_PB}, 4},
    {"oil", "燃油与船舶", "Oil combustion and shipping", "Ni, V", {MK_NI, MK_V}, 2},
    {"industry", "工业", "Industry", "Cr, Cu, Zn, Mn", {MK_CR, MK_CU, MK_ZN, MK_MN}, 4},
    {"seasalt", "海盐", "Sea salt", "Na, Cl", {MK_NA, MK_CL}, 2},
};
#define PMF_SOURCE_COUNT (sizeof pmf_sources / sizeof pmf_sources[0])

size_t pmf_marker_count(void)
{
    return PMF_SOURCE_COUNT;
}

void pmf_marker_entry(size_t i, const char **key, const char **zh, const char **en,
                      const char **markers)
{
    const struct pmf_source *s = &pmf_sources[i < PMF_SOURCE_COUNT ? i : 0];
    *key = s->key;
    *zh = s->zh;
    *en = s->en;
    *markers = s->markers;
}

/* Index of the data column that is marker mk, or -1. */
static int pmf_find_marker(const char *const *species, size_t n, enum pmf_marker mk)
{
    for (size_t j = 0; j < n; j++)
        for (int a = 0; a < 8 && pmf_marker_alias[mk][a]; a++)
            if (!strcasecmp(species[j], pmf_marker_alias[mk][a]))
                return (int)j;
    return -1;
}

static double pmf_source_score(const struct pmf_source *s, const char *const *species,
                               const double *pct, size_t n, char *found, size_t cap)
{
    double sum = 0;
    int count = 0;
    size_t used = 0;

    found[0] = '\0';
    for (int i = 0; i < s->nmk; i++) {
        int j = pmf_find_marker(species, n, s->mk[i]);
        if (j < 0)
            continue;
        /* K+ and K are one marker: take whichever the data has, once. */
        if (s->mk[i] == MK_K && pmf_find_marker(species, n, MK_KION) >= 0)
            continue;
        sum += pct[j];
        count++;
        int w = snprintf(found + used, cap - used, "%s%s", used ? "," : "", species[j]);
        if (w > 0 && (size_t)w < cap - used)
            used += (size_t)w;
    }
    return count ? sum / count : 0;
}

void pmf_suggest_name(const char *const *species, const double *pct, size_t n, struct pmf_name *out)
{
    char found[sizeof out->markers];

    memset(out, 0, sizeof *out);
    out->key = "unknown";
    out->zh = "未识别";
    out->en = "Unidentified";
    for (size_t i = 0; i < PMF_SOURCE_COUNT; i++) {
        double score = pmf_source_score(&pmf_sources[i], species, pct, n, found, sizeof found);
        if (score > out->score) {
            out->score = score;
            snprintf(out->markers, sizeof out->markers, "%s", found);
            if (score >= PMF_NAME_MIN_SCORE) {
                out->key = pmf_sources[i].key;
                out->zh = pmf_sources[i].zh;
                out->en = pmf_sources[i].en;
            }
        }
    }
}
