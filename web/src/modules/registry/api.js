// Shared helpers of the registry: the enterprise search behind every enterprise picker (the
// registry's own pages and the other modules' forms).
import { api } from '../../shell/api.js'

/** Enterprises matching `q` (name or credit code), at most 20, for remote el-select pickers. */
export async function searchEnterprises(q) {
  return (await api.get('/enterprises', { q, limit: 20 })).items
}
