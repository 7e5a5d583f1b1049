/**
 * Placeholder removed in the Feishu commit.
 */
export async function startServer(): Promise<void> {
  throw new Error("not yet");
}
