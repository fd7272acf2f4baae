import { parsePolicyDocument, PolicyError, type PolicyDocument, type PolicyKind } from "../auth/iam-policy.js";
import { StackLoadError } from "./terraform-json.js";

/**
 * Parses and validates a resolved policy string with the evaluator's own parser, so a policy it
 * could not evaluate stops start-up. HCL object syntax from `Fn.jsonencode` is refused with the fix.
 */
export function parsePolicy(address: string, field: string, text: string, kind: PolicyKind): PolicyDocument {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new StackLoadError(
      address,
      `${field} is not JSON after resolving references (the offline mode reads policies rendered with JSON.stringify, not jsonencode/HCL objects)`,
    );
  }
  try {
    return parsePolicyDocument(document, kind);
  } catch (error) {
    if (error instanceof PolicyError) throw new StackLoadError(address, `${field} is not a valid ${kind} policy: ${error.message}`);
    throw error;
  }
}
