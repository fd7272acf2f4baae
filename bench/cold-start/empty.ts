// Baseline bundle: a handler and nothing else, to show what importing any module costs.
export async function handler(): Promise<{ statusCode: number; body: string }> {
  return { statusCode: 200, body: "" };
}
