// Site-wide names used in titles and headings.
export const SITE_NAME = "地域資源ポータル";

/** 「ページ名｜地域資源ポータル」 */
export function pageTitle(part?: string): string {
  return part ? `${part}｜${SITE_NAME}` : SITE_NAME;
}
