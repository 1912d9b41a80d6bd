// Shared answers of the /export/* downloads: an attachment with a dated file name, and a 400
// with the Japanese message when the parameters are wrong.

/** `chiiki-resources-YYYY-MM-DD.csv` from `resources.csv` (ASCII, so no RFC 5987 needed). */
export function exportHeaders(contentType: string, fileName: string, now = new Date()): Headers {
  const dated = `chiiki-${fileName.replace(/^resources/, `resources-${now.toISOString().slice(0, 10)}`)}`;
  return new Headers({
    "Content-Type": contentType,
    "Content-Disposition": `attachment; filename="${dated}"`,
    "Cache-Control": "public, max-age=300",
    "Access-Control-Allow-Origin": "*",
  });
}

export function exportParamError(parsed: { message: string; messageEn: string }): Response {
  return Response.json(
    { error: { message: parsed.message, messageEn: parsed.messageEn } },
    { status: 400, headers: { "Cache-Control": "no-store" } }
  );
}
