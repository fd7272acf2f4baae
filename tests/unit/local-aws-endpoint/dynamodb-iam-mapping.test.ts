import { expect } from "chai";
import { mapDynamoDbCall, type DynamoDbCheck, type MappedCall } from "../../../local/aws-endpoint/dynamodb-iam-mapping.js";

const PLACE = {
  region: "eu-west-1",
  accountId: "123456789012",
  keysOf: (name: string) => (name === "users" ? { hashKey: "id" } : name === "orders" ? { hashKey: "customer", rangeKey: "at" } : undefined),
};
const USERS = "arn:aws:dynamodb:eu-west-1:123456789012:table/users";
const ORDERS = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders";

function checks(operation: string, body: unknown): DynamoDbCheck[] {
  const mapped: MappedCall = mapDynamoDbCall(`DynamoDB_20120810.${operation}`, body, PLACE);
  if (!mapped.ok) throw new Error(`not mapped: ${mapped.message}`);
  return [...mapped.checks];
}
const summary = (list: DynamoDbCheck[]) => list.map((c) => [c.action, c.resource]);
const context = (check: DynamoDbCheck) => Object.fromEntries(check.context);

describe("DynamoDB call -> IAM checks", () => {
  describe("single-item calls: the action on the table ARN", () => {
    it("GetItem: leading key, key and projected attributes, SPECIFIC_ATTRIBUTES", () => {
      const [check] = checks("GetItem", { TableName: "users", Key: { id: { S: "u-1" } }, ProjectionExpression: "#n, email", ExpressionAttributeNames: { "#n": "name" } });
      expect(summary([check!])).to.deep.equal([["dynamodb:GetItem", USERS]]);
      expect(context(check!)).to.deep.equal({ "dynamodb:leadingkeys": ["u-1"], "dynamodb:attributes": ["id", "name", "email"], "dynamodb:select": "SPECIFIC_ATTRIBUTES" });
    });

    it("GetItem without a projection: ALL_ATTRIBUTES and no attribute list", () => {
      const [check] = checks("GetItem", { TableName: "users", Key: { id: { S: "u-1" } } });
      expect(context(check!)).to.deep.equal({ "dynamodb:leadingkeys": ["u-1"], "dynamodb:select": "ALL_ATTRIBUTES" });
    });

    it("PutItem: the item's partition key and attribute names, and ReturnValues", () => {
      const [check] = checks("PutItem", { TableName: "users", Item: { id: { S: "u-2" }, name: { S: "x" } }, ReturnValues: "ALL_OLD" });
      expect(summary([check!])).to.deep.equal([["dynamodb:PutItem", USERS]]);
      expect(context(check!)).to.deep.equal({ "dynamodb:leadingkeys": ["u-2"], "dynamodb:attributes": ["id", "name"], "dynamodb:returnvalues": "ALL_OLD" });
    });

    it("UpdateItem: the key and every top-level path of the update expression", () => {
      const [check] = checks("UpdateItem", {
        TableName: "users",
        Key: { id: { S: "u-3" } },
        UpdateExpression: "SET #n = :n, visits = if_not_exists(visits, :zero) + :one, address.city = :c REMOVE tmp",
        ExpressionAttributeNames: { "#n": "name" },
      });
      expect(summary([check!])).to.deep.equal([["dynamodb:UpdateItem", USERS]]);
      expect(context(check!)["dynamodb:attributes"]).to.deep.equal(["id", "name", "visits", "address", "tmp"]);
    });

    it("refuses what it cannot determine exactly, naming the key: an undefined #alias, a Query without the partition key", () => {
      const update = mapDynamoDbCall("DynamoDB_20120810.UpdateItem", { TableName: "users", Key: { id: { S: "u-3" } }, UpdateExpression: "SET #missing = :v" }, PLACE);
      expect(update).to.deep.include({ ok: false, errorType: "ValidationException" });
      expect((update as { message: string }).message).to.match(/^cannot determine dynamodb:Attributes: #missing/);
      const query = mapDynamoDbCall("DynamoDB_20120810.Query", { TableName: "users", KeyConditionExpression: "begins_with(id, :p)" }, PLACE);
      expect((query as { message: string }).message).to.match(/^cannot determine dynamodb:LeadingKeys/);
    });

    it("leaves dynamodb:LeadingKeys out for a table the stack does not have", () => {
      const [check] = checks("GetItem", { TableName: "elsewhere", Key: { pk: { S: "x" } } });
      expect(context(check!)).to.deep.equal({ "dynamodb:select": "ALL_ATTRIBUTES" });
    });

    it("DeleteItem and a table given as an ARN", () => {
      const [check] = checks("DeleteItem", { TableName: USERS, Key: { id: { S: "u-4" } } });
      expect(summary([check!])).to.deep.equal([["dynamodb:DeleteItem", USERS]]);
      expect(check!.tableName).to.equal("users");
    });
  });

  describe("Query and Scan: the table or the index ARN", () => {
    it("Query on an index: the index ARN, the partition key value from the key condition, ALL_PROJECTED_ATTRIBUTES", () => {
      const [check] = checks("Query", {
        TableName: "orders",
        IndexName: "by-day",
        KeyConditionExpression: "#c = :c AND #at > :t",
        ExpressionAttributeNames: { "#c": "customer", "#at": "at" },
        ExpressionAttributeValues: { ":c": { S: "cust-9" }, ":t": { N: "5" } },
      });
      expect(summary([check!])).to.deep.equal([["dynamodb:Query", `${ORDERS}/index/by-day`]]);
      expect(context(check!)).to.deep.equal({ "dynamodb:leadingkeys": ["cust-9"], "dynamodb:select": "ALL_PROJECTED_ATTRIBUTES" });
    });

    it("Scan: no leading keys, the requested Select", () => {
      const [check] = checks("Scan", { TableName: "users", Select: "COUNT" });
      expect(summary([check!])).to.deep.equal([["dynamodb:Scan", USERS]]);
      expect(context(check!)).to.deep.equal({ "dynamodb:select": "COUNT" });
    });
  });

  describe("batch calls: the batch action once per table touched", () => {
    it("BatchWriteItem over two tables checks both, each with its own leading keys", () => {
      const list = checks("BatchWriteItem", {
        RequestItems: {
          users: [{ PutRequest: { Item: { id: { S: "u-5" } } } }, { DeleteRequest: { Key: { id: { S: "u-6" } } } }],
          orders: [{ PutRequest: { Item: { customer: { S: "c-1" }, at: { N: "1" } } } }],
        },
      });
      expect(summary(list)).to.deep.equal([["dynamodb:BatchWriteItem", USERS], ["dynamodb:BatchWriteItem", ORDERS]]);
      expect(context(list[0]!)["dynamodb:leadingkeys"]).to.deep.equal(["u-5", "u-6"]);
    });

    it("BatchGetItem checks every table named", () => {
      const list = checks("BatchGetItem", { RequestItems: { users: { Keys: [{ id: { S: "u-1" } }] }, orders: { Keys: [{ customer: { S: "c" }, at: { N: "1" } }] } } });
      expect(summary(list)).to.deep.equal([["dynamodb:BatchGetItem", USERS], ["dynamodb:BatchGetItem", ORDERS]]);
    });
  });

  describe("transactions: each item as the item action it performs", () => {
    it("TransactWriteItems maps Put, Update, Delete and ConditionCheck to their item actions", () => {
      const list = checks("TransactWriteItems", {
        TransactItems: [
          { Put: { TableName: "users", Item: { id: { S: "u-7" } } } },
          { Update: { TableName: "orders", Key: { customer: { S: "c" }, at: { N: "1" } }, UpdateExpression: "SET total = :t" } },
          { Delete: { TableName: "users", Key: { id: { S: "u-8" } } } },
          { ConditionCheck: { TableName: "orders", Key: { customer: { S: "c" }, at: { N: "2" } }, ConditionExpression: "attribute_exists(customer)" } },
        ],
      });
      expect(summary(list)).to.deep.equal([
        ["dynamodb:PutItem", USERS],
        ["dynamodb:UpdateItem", ORDERS],
        ["dynamodb:DeleteItem", USERS],
        ["dynamodb:ConditionCheckItem", ORDERS],
      ]);
    });

    it("TransactGetItems maps each Get to GetItem", () => {
      const list = checks("TransactGetItems", { TransactItems: [{ Get: { TableName: "users", Key: { id: { S: "u-1" } } } }, { Get: { TableName: "orders", Key: { customer: { S: "c" }, at: { N: "1" } } } }] });
      expect(summary(list)).to.deep.equal([["dynamodb:GetItem", USERS], ["dynamodb:GetItem", ORDERS]]);
    });
  });

  describe("table-level calls", () => {
    it("DescribeTable on the table ARN; ListTables on *", () => {
      expect(summary(checks("DescribeTable", { TableName: "users" }))).to.deep.equal([["dynamodb:DescribeTable", USERS]]);
      expect(summary(checks("ListTables", {}))).to.deep.equal([["dynamodb:ListTables", "*"]]);
    });
  });

  describe("calls it does not serve", () => {
    it("answers an operation it does not emulate with UnknownOperationException, naming it", () => {
      const mapped = mapDynamoDbCall("DynamoDB_20120810.ExecuteStatement", { Statement: "SELECT * FROM users" }, PLACE);
      expect(mapped).to.deep.include({ ok: false, errorType: "UnknownOperationException" });
      expect((mapped as { message: string }).message).to.match(/^not emulated offline: dynamodb:ExecuteStatement/);
    });

    it("answers a missing TableName or an empty batch with ValidationException", () => {
      expect(mapDynamoDbCall("DynamoDB_20120810.GetItem", { Key: {} }, PLACE)).to.deep.include({ ok: false, errorType: "ValidationException" });
      expect(mapDynamoDbCall("DynamoDB_20120810.BatchWriteItem", { RequestItems: {} }, PLACE)).to.deep.include({ ok: false, errorType: "ValidationException" });
      expect(mapDynamoDbCall("DynamoDB_20120810.TransactWriteItems", { TransactItems: [{ Nope: {} }] }, PLACE)).to.deep.include({ ok: false, errorType: "ValidationException" });
    });

    it("refuses a target of another service", () => {
      expect(mapDynamoDbCall("AmazonSQS.SendMessage", {}, PLACE)).to.deep.include({ ok: false, errorType: "UnknownOperationException" });
    });
  });
});
