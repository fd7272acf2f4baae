import type { CognitoAuthorizerModel, UserPoolClientModel, UserPoolModel } from "../model.js";
import type { StackAttributes } from "./attributes.js";
import { at, StackLoadError, type TerraformResource } from "./terraform-json.js";

/**
 * Cognito user pools, their app clients and `COGNITO_USER_POOLS` authorizers: what the offline
 * issuer mints tokens for and the gateway verifies them against. What would change a token or a
 * verdict and is not modelled (triggers that rewrite claims, other authorizer types) stops start-up.
 */

/** Pool arguments that change what a token holds or who gets one; the issuer does not model them. */
const UNMODELLED_POOL_ARGUMENTS = ["lambda_config", "alias_attributes"] as const;

/** User pools by pool id, each with its app clients. */
export function loadUserPools(resources: readonly TerraformResource[], attrs: StackAttributes): Map<string, UserPoolModel> {
  const pools = new Map<string, UserPoolModel & { clients: Map<string, UserPoolClientModel> }>();
  for (const pool of resources.filter((r) => r.type === "aws_cognito_user_pool")) {
    for (const argument of UNMODELLED_POOL_ARGUMENTS) {
      if (at(pool.config, argument) !== undefined) {
        throw new StackLoadError(pool.address, `${argument} is not modelled by the offline token issuer (it changes who signs in or what tokens hold)`);
      }
    }
    const usernameAttributes = at(pool.config, "username_attributes");
    if (!Array.isArray(usernameAttributes) || usernameAttributes.length !== 1 || usernameAttributes[0] !== "email") {
      throw new StackLoadError(pool.address, 'the offline token issuer models email sign-in only (username_attributes = ["email"])');
    }
    const id = attrs.resolver(["aws_cognito_user_pool", pool.name, "id"])!;
    pools.set(id, {
      address: pool.address,
      id,
      arn: attrs.resolver(["aws_cognito_user_pool", pool.name, "arn"])!,
      name: attrs.string(pool, "name"),
      issuer: `https://${attrs.resolver(["aws_cognito_user_pool", pool.name, "endpoint"])!}`,
      clients: new Map(),
    });
  }
  for (const client of resources.filter((r) => r.type === "aws_cognito_user_pool_client")) {
    const poolId = attrs.string(client, "user_pool_id");
    const pool = pools.get(poolId);
    if (!pool) throw new StackLoadError(client.address, `user_pool_id '${poolId}' is not a user pool of this stack`);
    const id = attrs.resolver(["aws_cognito_user_pool_client", client.name, "id"])!;
    pool.clients.set(id, {
      address: client.address,
      id,
      name: attrs.string(client, "name"),
      idTokenSeconds: tokenLifetime(client, attrs, "id_token"),
      accessTokenSeconds: tokenLifetime(client, attrs, "access_token"),
    });
  }
  return pools;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** A client's token lifetime in seconds; Cognito's default is one hour ("hours" units, value 1). */
function tokenLifetime(client: TerraformResource, attrs: StackAttributes, token: "id_token" | "access_token"): number {
  const value = Number(attrs.optionalString(client, `${token}_validity`) ?? "1");
  const unit = attrs.optionalString(client, "token_validity_units", token) ?? "hours";
  const seconds = value * (UNIT_SECONDS[unit] ?? NaN);
  if (!Number.isInteger(seconds) || seconds < 300 || seconds > 86400) {
    throw new StackLoadError(client.address, `${token}_validity ${value} ${unit} is outside Cognito's 5 minutes to 1 day`);
  }
  return seconds;
}

/** A loaded authorizer and the REST API it belongs to (checked by the API loader). */
export interface LoadedAuthorizer {
  readonly restApiId: string;
  readonly model: CognitoAuthorizerModel;
}

/** `COGNITO_USER_POOLS` authorizers by id; any other type stops start-up. */
export function loadAuthorizers(
  resources: readonly TerraformResource[],
  attrs: StackAttributes,
  pools: ReadonlyMap<string, UserPoolModel>,
): Map<string, LoadedAuthorizer> {
  const poolByArn = new Map([...pools.values()].map((p) => [p.arn, p]));
  const authorizers = new Map<string, LoadedAuthorizer>();
  for (const authorizer of resources.filter((r) => r.type === "aws_api_gateway_authorizer")) {
    const type = attrs.optionalString(authorizer, "type") ?? "TOKEN";
    if (type !== "COGNITO_USER_POOLS") {
      throw new StackLoadError(authorizer.address, `authorizer type '${type}' is not supported by the offline mode (COGNITO_USER_POOLS only)`);
    }
    const arns = at(authorizer.config, "provider_arns");
    if (!Array.isArray(arns) || arns.length === 0) throw new StackLoadError(authorizer.address, "provider_arns must name at least one user pool");
    const userPools = arns.map((raw: unknown, i) => {
      if (typeof raw !== "string") throw new StackLoadError(authorizer.address, `provider_arns[${i}] must be a string`);
      const arn = attrs.template(authorizer.address, `provider_arns[${i}]`, raw);
      const pool = poolByArn.get(arn);
      if (!pool) throw new StackLoadError(authorizer.address, `provider_arns[${i}] '${arn}' is not a user pool of this stack`);
      return pool;
    });
    // API Gateway's default identity source is the Authorization header.
    const source = attrs.optionalString(authorizer, "identity_source") ?? "method.request.header.Authorization";
    const header = /^method\.request\.header\.([A-Za-z0-9!#$%&'*+.^_`|~-]+)$/.exec(source)?.[1];
    if (!header) throw new StackLoadError(authorizer.address, `identity_source '${source}' is not supported by the offline mode (one method.request.header.<name>)`);
    const expression = attrs.optionalString(authorizer, "identity_validation_expression");
    let audiencePattern: RegExp | undefined;
    if (expression !== undefined) {
      try {
        audiencePattern = new RegExp(expression);
      } catch {
        throw new StackLoadError(authorizer.address, `identity_validation_expression '${expression}' is not a regular expression the offline mode can evaluate`);
      }
    }
    const id = attrs.resolver(["aws_api_gateway_authorizer", authorizer.name, "id"])!;
    authorizers.set(id, {
      restApiId: attrs.string(authorizer, "rest_api_id"),
      model: { address: authorizer.address, id, userPools, tokenHeader: header.toLowerCase(), audiencePattern },
    });
  }
  return authorizers;
}
