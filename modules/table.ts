import { Construct } from "constructs";
import { DynamodbTable } from "./aws-provider-classes.js";
import type { IGrantee, PolicyStatement } from "./grants.js";

/**
 * DynamoDB data-plane actions a grant may name. Control-plane actions (CreateTable, DeleteTable,
 * UpdateTable …) are not grantable here: functions read and write items, Terraform owns tables.
 * `TransactGetItems`/`TransactWriteItems` are authorized as the item actions they contain.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 */
export type TableItemAction =
  | "GetItem"
  | "BatchGetItem"
  | "Query"
  | "Scan"
  | "ConditionCheckItem"
  | "PutItem"
  | "UpdateItem"
  | "DeleteItem"
  | "BatchWriteItem"
  | "DescribeTable";

const ITEM_ACTIONS: ReadonlySet<string> = new Set<TableItemAction>([
  "GetItem", "BatchGetItem", "Query", "Scan", "ConditionCheckItem", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "DescribeTable",
]);

/** Actions that may also target an index (`…/index/NAME`). */
const INDEX_ACTIONS: ReadonlySet<string> = new Set<TableItemAction>(["Query", "Scan"]);

/** A DynamoDB key attribute: its name and scalar type (S string, N number, B binary). */
export interface KeyAttribute {
  readonly name: string;
  readonly type: "S" | "N" | "B";
}

/** Props of {@link Table}. */
export interface TableProps {
  /** The table's name. */
  readonly tableName: string;
  /** The partition key. @default { name: "id", type: "S" } */
  readonly partitionKey?: KeyAttribute;
  /** Refuse `DeleteTable` (and `terraform destroy`) until switched off. @default true */
  readonly deletionProtection?: boolean;
  /** Continuous backups, restorable to any second of the last 35 days. @default true */
  readonly pointInTimeRecovery?: boolean;
  /** A customer-managed KMS key for server-side encryption. @default the AWS-managed key `aws/dynamodb` */
  readonly kmsKeyArn?: string;
  /** Tags of the table. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An on-demand DynamoDB table with point-in-time recovery, KMS server-side encryption and
 * deletion protection on by default. Access is granted per action with {@link Table.grant}
 * (never `dynamodb:*`), on this table's ARN only.
 */
export class Table extends Construct {
  /** The table's name (a token). */
  readonly tableName: string;
  /** `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME` (a token). */
  readonly tableArn: string;
  /** The partition key. */
  readonly partitionKey: KeyAttribute;
  readonly table: DynamodbTable;
  private readonly owner: string;
  /** What each grantee was granted here: a grantor sets all of its statements at once. */
  private readonly granted = new Map<IGrantee, PolicyStatement[]>();

  constructor(scope: Construct, id: string, props: TableProps) {
    super(scope, id);
    this.owner = `Table '${this.node.path}'`;
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(props.tableName)) {
      throw new Error(`${this.owner}: tableName '${props.tableName}' must be 3-255 letters, digits, '_', '-' or '.'.`);
    }
    this.partitionKey = props.partitionKey ?? { name: "id", type: "S" };
    if (this.partitionKey.name.length === 0 || this.partitionKey.name.length > 255) {
      throw new Error(`${this.owner}: partition key name must be 1-255 characters.`);
    }
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: this.partitionKey.name,
      attribute: [{ name: this.partitionKey.name, type: this.partitionKey.type }],
      deletionProtectionEnabled: props.deletionProtection ?? true,
      pointInTimeRecovery: { enabled: props.pointInTimeRecovery ?? true },
      // enabled = true means a KMS key (aws/dynamodb unless one is given) rather than the AWS-owned default.
      serverSideEncryption: { enabled: true, ...(props.kmsKeyArn !== undefined ? { kmsKeyArn: props.kmsKeyArn } : {}) },
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
  }

  /**
   * Grants exactly the named actions on this table (`dynamodb:GetItem` …), on the table's ARN and,
   * for Query/Scan with `indexes`, on those indexes' ARNs.
   */
  grant(grantee: IGrantee, actions: readonly TableItemAction[], options: { indexes?: readonly string[] } = {}): void {
    if (actions.length === 0) throw new Error(`${this.owner}: a grant names at least one action.`);
    for (const action of actions) {
      if (!ITEM_ACTIONS.has(action)) throw new Error(`${this.owner}: '${action}' is not a grantable item action (${[...ITEM_ACTIONS].join(", ")}).`);
    }
    const indexes = options.indexes ?? [];
    if (indexes.length > 0 && !actions.some((a) => INDEX_ACTIONS.has(a))) {
      throw new Error(`${this.owner}: index grants only make sense for Query or Scan.`);
    }
    const resources = [this.tableArn, ...indexes.map((index) => `${this.tableArn}/index/${index}`)];
    const statement: PolicyStatement = {
      Effect: "Allow",
      Action: [...new Set(actions)].map((action) => `dynamodb:${action}`),
      // Always a list: the same JSON as modules/terraform/table renders, one or several ARNs.
      Resource: resources,
    };
    const statements = this.granted.get(grantee) ?? [];
    // The same grant twice is one statement.
    if (!statements.some((s) => JSON.stringify(s) === JSON.stringify(statement))) statements.push(statement);
    this.granted.set(grantee, statements);
    grantee.setGrantStatements(this.node.path, statements);
  }

  /** Reading single items: `dynamodb:GetItem`. */
  grantReadItems(grantee: IGrantee): void {
    this.grant(grantee, ["GetItem"]);
  }

  /** Writing single items: `dynamodb:PutItem` and `dynamodb:UpdateItem` (not DeleteItem). */
  grantWriteItems(grantee: IGrantee): void {
    this.grant(grantee, ["PutItem", "UpdateItem"]);
  }
}
