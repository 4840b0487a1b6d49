// The text of a caught value for messages and logs: `catch (e)` gives
// `unknown`, and a thrown value need not be an Error.

/** e.message for an Error, String(e) for anything else thrown. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
