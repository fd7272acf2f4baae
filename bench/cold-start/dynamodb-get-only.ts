// Baseline bundle: the DynamoDB client doing one GetItem, nothing of ours. The users function's
// bundle is judged against it (same build options).
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";

const client = new DynamoDBClient({});

export async function handler(): Promise<{ statusCode: number; body: string }> {
  const { Item } = await client.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { id: { S: "u-1001" } } }));
  return { statusCode: Item ? 200 : 404, body: JSON.stringify(Item ?? null) };
}
