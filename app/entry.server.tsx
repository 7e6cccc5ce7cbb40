/**
 * Server entry: streams the Remix document and sets the embedded-app headers on every document
 * (Shopify's addDocumentResponseHeaders + a CSP frame-ancestors fallback, see
 * shopify/document-headers.server.ts). Bots get the fully rendered page (onAllReady).
 */
import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";
import { addDocumentResponseHeaders } from "~/shopify.server";
import "~/job-runtime/boot.server"; // the in-process job worker starts with the server (HORIZON_WORKER=inline)
import { demoShopFromEnv } from "~/auth.server";
import { completeDocumentHeaders } from "~/shopify/document-headers.server";
import { env } from "~/env.server";

// Validate the whole environment when the server build loads: a bad value stops the process at start.
env();

/** Abort rendering after this many ms (streamed responses). */
export const streamTimeout = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const shopParam = new URL(request.url).searchParams.get("shop");
  completeDocumentHeaders(responseHeaders, shopParam ?? demoShopFromEnv());
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}
