import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import type { User } from "./contract.js";
import { UserExistsError, type UserStore } from "./store.js";

/** A stored item that is not a user (written by something else): fail loudly, never half-read. */
export class MalformedUserItemError extends Error {
  constructor(tableName: string, id: string) {
    super(`item ${id} of table ${tableName} is not a user (id, name and email must be strings)`);
    this.name = "MalformedUserItemError";
  }
}

function stringAttribute(item: Record<string, AttributeValue>, name: string): string | undefined {
  const value = item[name];
  return value !== undefined && "S" in value && typeof value.S === "string" ? value.S : undefined;
}

/**
 * Users in one DynamoDB table, partition key `id`. Calls exactly `GetItem` and `PutItem` (plain or
 * conditional), the two actions the users role is granted. Three string attributes need no
 * `lib-dynamodb` marshaller.
 */
export class DynamoDbUserStore implements UserStore {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBClient = new DynamoDBClient({}),
  ) {}

  async get(id: string): Promise<User | undefined> {
    // Strongly consistent: a user created through one instance is readable through the next at once.
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { id: { S: id } }, ConsistentRead: true }));
    if (Item === undefined) return undefined;
    const name = stringAttribute(Item, "name");
    const email = stringAttribute(Item, "email");
    if (stringAttribute(Item, "id") !== id || name === undefined || email === undefined) throw new MalformedUserItemError(this.tableName, id);
    return { id, name, email };
  }

  /** One `PutItem`: creates the record or replaces it whole (the id is the caller's verified sub). */
  async put(user: User): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: itemOf(user) }));
  }

  /**
   * One conditional `PutItem`: DynamoDB checks `attribute_not_exists(id)` and writes atomically, so
   * two concurrent creates cannot both win (DynamoDB developer guide, "Condition expressions":
   * "Conditional put", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html).
   */
  async create(user: User): Promise<void> {
    try {
      await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: itemOf(user), ConditionExpression: "attribute_not_exists(id)" }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new UserExistsError(user.id);
      throw error;
    }
  }
}

function itemOf(user: User): Record<string, AttributeValue> {
  return { id: { S: user.id }, name: { S: user.name }, email: { S: user.email } };
}
