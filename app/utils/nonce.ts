// The CSP nonce of the current request, for inline <script> tags. scripts/start.ts makes one per
// request (context.cspNonce); entry.server provides it while rendering. In the browser the value
// is "" (browsers hide nonces from the DOM; the scripts have already run by then).
import { createContext, useContext } from "react";

export const NonceContext = createContext("");

export function useNonce(): string {
  return useContext(NonceContext);
}
