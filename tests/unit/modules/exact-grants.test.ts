import { expect } from "chai";
import { DeclaredRoutes, denyHitsRoute, describe as shapeText, planExactness, type RouteShape } from "../../../modules/exact-grants.js";
import { seededRandom } from "../../fixtures/seeded-random.js";

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
    it("ignores requests API Gateway sends to a literal sibling: users/me never reaches users/{id}", () => {
      const table = new DeclaredRoutes([shape("GET /users/*"), shape("GET /users/me")]);
      expect(denyHitsRoute(shape("GET /users/me"), shape("GET /users/*"), table)).to.equal(false);
      expect(denyHitsRoute(shape("GET /users/me"), shape("GET /users/*"))).to.equal(true);
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

    it("denies a declared literal sibling the parameter's wildcard would reach", () => {
      const plan = planExactness([shape("GET /users/*")], [shape("GET /users/*"), shape("GET /users/me"), shape("POST /users/me")]);
      expect(texts(plan.denies)).to.deep.equal(["GET /users/me", "GET /users/{…}/{…}"]);
      expect(plan.inexact).to.deep.equal([]);
    });

    it("drops a Deny another Deny already covers", () => {
      const plan = planExactness([shape("GET /users/*"), shape("GET /users/*/profile")], []);
      expect(texts(plan.denies)).to.deep.equal(["GET /users/{…}/{…}/{…}"]);
    });
  });

  describe("on random route tables (seeded, replayable)", () => {
    const SEED = 1414;
    const random = seededRandom(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    /** A request to the route with fresh parameter values no literal takes. */
    const request = (route: RouteShape): RouteShape => ({ method: route.method, segments: route.segments.map((s, i) => (s === "*" ? `v${i}x` : s)) });

    it(`never denies a granted route, and denies or reports every declared route a grant would reach (seed ${SEED})`, () => {
      for (let round = 0; round < 300; round++) {
        const routes = new Map<string, RouteShape>();
        while (routes.size < 2 + Math.floor(random() * 6)) {
          const depth = 1 + Math.floor(random() * 4);
          const route: RouteShape = { method: pick(["GET", "GET", "POST"]), segments: Array.from({ length: depth }, (_, i) => (i === 0 ? "a" : pick(["*", "*", "b", "items"]))) };
          routes.set(shapeText(route), route);
        }
        const declared = [...routes.values()];
        const granted = declared.filter(() => random() < 0.4);
        const plan = planExactness(granted, declared);
        const label = `round ${round}: granted ${granted.map(shapeText).join(", ")} of ${declared.map(shapeText).join(", ")}`;
        const table = new DeclaredRoutes(declared);
        for (const deny of plan.denies) for (const route of granted) expect(denyHitsRoute(deny, route, table), `${label}: ${shapeText(deny)} hits ${shapeText(route)}`).to.equal(false);
        for (const route of declared) {
          if (granted.includes(route)) continue;
          const reachedBy = granted.filter((g) => denyHitsRoute(g, request(route)));
          if (reachedBy.length === 0) continue;
          const denied = plan.denies.some((d) => denyHitsRoute(d, request(route)));
          const reported = plan.inexact.some((i) => reachedBy.includes(i.route as RouteShape));
          expect(denied || reported, `${label}: ${shapeText(route)} is reachable, neither denied nor reported`).to.equal(true);
        }
      }
    });
  });
});
