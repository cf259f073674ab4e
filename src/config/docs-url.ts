/**
 * A rule's docs page (`docs/rules/<name>.md`, relative to the project) as a link: absolute under the config's
 * `docs.baseUrl` when one is set, else as it stands. Reports only link absolute http(s) URLs.
 */
export function resolveDocsUrl(page: string, baseUrl: string | undefined): string {
  if (baseUrl === undefined) return page;
  return new URL(page, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`).href;
}
