// Shared by the approval tests: a material counts as received only with a file, so a case
// that is to be accepted gets a file for each material it declares.

/** A small PDF (recognised by its content, as the server checks). */
export const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')

/** Uploads bytes as a file of material `key` of application `id`. */
export function uploadMaterial(client, id, key, name, bytes = PDF) {
  return client.request('POST', `/api/v1/approval/applications/${id}/materials/${key}/files?name=${encodeURIComponent(name)}`, {
    body: bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes),
    headers: { 'content-type': 'application/octet-stream' },
  })
}

/** Uploads a PDF for every material the application (as the API shows it) declared. */
export async function uploadDeclared(client, app) {
  for (const key of app.data.materials) {
    const r = await uploadMaterial(client, app.id, key, `${key}.pdf`)
    if (r.status !== 201) throw new Error(`upload ${key}: ${r.status} ${r.text}`)
  }
}
