// Baseline bundle: got and one client, nothing of ours. Our callers' import is judged against it.
import got from "got";

const client = got.extend({ prefixUrl: process.env.USERS_API_URL });

export async function handler(): Promise<{ statusCode: number; body: string }> {
  return { statusCode: 200, body: String(typeof client) };
}
