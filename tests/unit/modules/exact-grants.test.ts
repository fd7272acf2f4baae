import { expect } from "chai";
import { denyHitsRoute, describe as shapeText, planExactness, type RouteShape } from "../../../modules/exact-grants.js";

const shape = (text: string): RouteShape => {
  const [method, path = ""] = text.split(" ");
  return { method: method!, segments: path === "/" ? [] : path.slice(1).split("/") };
};
const texts = (shapes: readonly RouteShape[]) => shapes.map(shapeText).sort();

describe("exact grants (the Deny that keeps a wildcard grant to its route)", () => {
  describe("denyHitsRoute", () => {
    it("finds that users/*/* hits a request to GET /users/{id}/profile", () => {
      expect(denyHitsRoute(shape("GET /users/*/*"), shape("GET /users/*/profile"))).to.equal(true);
    });
    it("never hits the granted route itself", () => {
      expect(denyHitsRoute(shape("GET /users/*/*"), shape("GET /users/*"))).to.equal(false);
    });
    it("finds a hit only possible when a parameter takes the value of a literal", () => {
      // a/x/y/b/z is a request to a/{p}/{q}/{r}/{s} with r = "b".
      expect(denyHitsRoute(shape("GET /a/*/*/b/*"), shape("GET /a/*/*/*/*"))).to.equal(true);
    });
    it("does not cross methods", () => {
      expect(denyHitsRoute(shape("GET /users/*/*"), shape("DELETE /users/*/profile"))).to.equal(false);
    });
  });

  describe("planExactness", () => {
    it("denies one level deeper than each parameter", () => {
      expect(texts(planExactness([shape("GET /a/*/b/*")], []).denies)).to.deep.equal(["GET /a/{…}/b/{…}/{…}", "GET /a/{…}/{…}/b/{…}"]);
    });

    it("needs no Deny for a path without parameters", () => {
      expect(planExactness([shape("POST /users")], [shape("POST /users")])).to.deep.equal({ denies: [], inexact: [] });
    });

    it("denies deeper paths for GET /users/{id} when nothing else is held, with nothing inexact", () => {
      const plan = planExactness([shape("GET /users/*")], [shape("GET /users/*"), shape("GET /users/*/profile")]);
      expect(texts(plan.denies)).to.deep.equal(["GET /users/{…}/{…}"]);
      expect(plan.inexact).to.deep.equal([]);
    });

    it("keeps a held deeper route callable: denies below it and the declared siblings, and says what stays open", () => {
      const held = [shape("GET /users/*"), shape("GET /users/*/profile")];
      const plan = planExactness(held, [...held, shape("GET /users/*/settings")]);
      expect(texts(plan.denies)).to.deep.equal(["GET /users/{…}/settings", "GET /users/{…}/{…}/{…}"]);
      for (const deny of plan.denies) for (const route of held) expect(denyHitsRoute(deny, route), shapeText(deny)).to.equal(false);
      expect(plan.inexact.map((i) => shapeText(i.route))).to.deep.equal(["GET /users/{…}"]);
      expect(plan.inexact[0]!.reason).to.match(/routes declared later .* would also deny GET \/users\/\{…\}\/profile/);
    });

    it("drops a Deny another Deny already covers", () => {
      const plan = planExactness([shape("GET /users/*"), shape("GET /users/*/profile")], []);
      expect(texts(plan.denies)).to.deep.equal(["GET /users/{…}/{…}/{…}"]);
    });
  });
});
