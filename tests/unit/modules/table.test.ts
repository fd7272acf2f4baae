import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { expect } from "chai";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { NodeFunction } from "../../../modules/node-function.js";
import { Table, type TableItemAction, type TableProps } from "../../../modules/table.js";

const buildDir = mkdtempSync(join(tmpdir(), "sia-table-"));

function synth(props: Partial<TableProps>, grant: (table: Table, fn: NodeFunction) => void = () => {}): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const table = new Table(stack, "users", { tableName: "users", ...props });
  const fn = new NodeFunction(stack, "fn", { entry: "lambdas/users/handler.ts", functionName: "test-fn", buildDir });
  grant(table, fn);
  return JSON.parse(Testing.synth(stack));
}

const tableOf = (json: Record<string, any>) => Object.values(json.resource.aws_dynamodb_table)[0] as Record<string, any>;
const grantStatements = (json: Record<string, any>) =>
  Object.entries(json.resource.aws_iam_role_policy as Record<string, { policy: string }>)
    .filter(([key]) => key.includes("grants"))
    .flatMap(([, p]) => JSON.parse(p.policy).Statement);

describe("Table", () => {
  it("is on-demand, keyed by a string id, with PITR, KMS encryption and deletion protection by default", () => {
    const table = tableOf(synth({ tags: { service: "users" } }));
    expect(table).to.deep.include({
      name: "users",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "id",
      attribute: [{ name: "id", type: "S" }],
      deletion_protection_enabled: true,
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      tags: { service: "users" },
    });
  });

  it("lets deletion protection and PITR be switched off, and takes a customer KMS key", () => {
    const table = tableOf(synth({ deletionProtection: false, pointInTimeRecovery: false, kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc" }));
    expect(table.deletion_protection_enabled).to.equal(false);
    expect(table.point_in_time_recovery).to.deep.equal({ enabled: false });
    expect(table.server_side_encryption).to.deep.equal({ enabled: true, kms_key_arn: "arn:aws:kms:us-east-1:123456789012:key/abc" });
  });

  it("grants exactly the named actions on the table's ARN, never dynamodb:*", () => {
    const statements = grantStatements(synth({}, (table, fn) => table.grant(fn, ["GetItem", "PutItem"])));
    expect(statements).to.deep.equal([{ Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: ["${aws_dynamodb_table.users_table_9E85B616.arn}"] }]);
  });

  it("grantReadItems is GetItem; grantWriteItems is PutItem and UpdateItem", () => {
    const statements = grantStatements(synth({}, (table, fn) => {
      table.grantReadItems(fn);
      table.grantWriteItems(fn);
    }));
    expect(statements.map((s: { Action: string[] }) => s.Action)).to.deep.equal([["dynamodb:GetItem"], ["dynamodb:PutItem", "dynamodb:UpdateItem"]]);
  });

  it("adds index ARNs only for the indexes a Query grant names", () => {
    const [statement] = grantStatements(synth({}, (table, fn) => table.grant(fn, ["Query"], { indexes: ["by-email"] })));
    expect(statement.Resource).to.deep.equal(["${aws_dynamodb_table.users_table_9E85B616.arn}", "${aws_dynamodb_table.users_table_9E85B616.arn}/index/by-email"]);
  });

  it("refuses a wildcard or control-plane action, naming the construct", () => {
    for (const action of ["*", "DeleteTable"]) {
      expect(() => synth({}, (table, fn) => table.grant(fn, [action as TableItemAction]))).to.throw(/Table 'test\/users': '.*' is not a grantable item action/);
    }
  });

  it("refuses index grants for actions that cannot use an index", () => {
    expect(() => synth({}, (table, fn) => table.grant(fn, ["GetItem"], { indexes: ["by-email"] }))).to.throw(/only make sense for Query or Scan/);
  });

  it("refuses a table name DynamoDB would refuse", () => {
    expect(() => synth({ tableName: "a b" })).to.throw(/tableName 'a b' must be 3-255/);
  });
});
