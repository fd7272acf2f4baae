import { expect } from "chai";
import {
  accessDenied,
  incompleteSignature,
  missingAuthenticationToken,
  signatureExpired,
  signatureMismatch,
  signatureNotYetCurrent,
  unrecognizedClient,
} from "../../../local/auth/api-gateway-errors.js";
import { renderGatewayError } from "../../../local/gateway/gateway-responses.js";

const toHttpResponse = (error: Parameters<typeof renderGatewayError>[1]) => renderGatewayError(undefined, error, "request-id");

const RESOURCE = "arn:aws:execute-api:eu-west-1:111111111111:abc123/prod/GET/users/42";
/** API Gateway masks the resource's account to its last four digits (see accessDenied). */
const MASKED_RESOURCE = "arn:aws:execute-api:eu-west-1:********1111:abc123/prod/GET/users/42";
const CALLER = "arn:aws:sts::111111111111:assumed-role/profile-fn/profile-session";

describe("local auth: API Gateway error responses", () => {
  it("writes status 403, x-amzn-ErrorType and the JSON body", () => {
    expect(toHttpResponse(missingAuthenticationToken())).to.deep.equal({
      statusCode: 403,
      headers: { "content-type": "application/json", "x-amzn-ErrorType": "MissingAuthenticationTokenException" },
      body: '{"message":"Missing Authentication Token"}',
    });
  });

  it("uses a lower-case message for signature errors", () => {
    expect(toHttpResponse(unrecognizedClient()).body).to.equal('{"message":"The security token included in the request is invalid."}');
    expect(incompleteSignature("x").body).to.deep.equal({ message: "x" });
  });

  it("words the mismatch as AWS does, with the canonical request and string-to-sign quoted", () => {
    expect(signatureMismatch("CR", "STS").body.message).to.equal(
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. " +
        "Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'CR'\n\nThe String-to-Sign should have been\n'STS'\n",
    );
  });

  it("words the expiry window as AWS does", () => {
    expect(signatureExpired("20150830T123600Z", "20150830T124100Z", "20150830T124600Z").body.message).to.equal(
      "Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T124600Z - 5 min.)",
    );
    expect(signatureNotYetCurrent("20150830T125100Z", "20150830T124100Z", "20150830T123600Z").body.message).to.equal(
      "Signature not yet current: 20150830T125100Z is still later than 20150830T124100Z (20150830T123600Z + 5 min.)",
    );
  });

  it("uses a capital M for AccessDenied, with the explicit-deny suffix only when a Deny decided", () => {
    const implicit = accessDenied(CALLER, RESOURCE, false);
    expect(implicit.errorType).to.equal("AccessDeniedException");
    expect(toHttpResponse(implicit).body).to.equal(
      `{"Message":"User: ${CALLER} is not authorized to perform: execute-api:Invoke on resource: ${MASKED_RESOURCE}"}`,
    );
    expect(accessDenied(CALLER, RESOURCE, true).body.Message).to.equal(
      `User: ${CALLER} is not authorized to perform: execute-api:Invoke on resource: ${MASKED_RESOURCE} with an explicit deny`,
    );
    expect(accessDenied("anonymous", RESOURCE, false).body.Message).to.match(/^User: anonymous is not authorized/);
  });
});
