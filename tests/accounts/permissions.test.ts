// The role → permission map: what each role may do, and which permissions need a second factor.
import { expect, test } from "vitest";
import { can, permissionsOf, PERMISSIONS, roleRequiresTwoFactor, ROLES, TWO_FACTOR_PERMISSIONS } from "~/utils/permissions";

test("each role has exactly the permissions the design gives it", () => {
  expect([...permissionsOf("coordinator")].sort()).toEqual(["create:resource", "update:resource:own"]);
  expect([...permissionsOf("staff")].sort()).toEqual(["read:person:assigned", "write:person:assigned"]);
  expect([...permissionsOf("admin")].sort()).toEqual(
    ["create:resource", "decide:support", "manage:users", "read:audit", "read:person:any", "review:resource", "update:resource:any", "update:resource:own"].sort(),
  );
});

test("no role sees personal data it should not", () => {
  expect(can("coordinator", "read:person:assigned")).toBe(false);
  expect(can("coordinator", "read:person:any")).toBe(false);
  expect(can("staff", "read:person:any")).toBe(false);
  expect(can("staff", "read:audit")).toBe(false);
  expect(can("staff", "manage:users")).toBe(false);
  expect(can("coordinator", "review:resource")).toBe(false);
  expect(can("admin", "read:audit")).toBe(true);
});

test("every permission a role holds is a known permission string", () => {
  for (const role of ROLES) for (const permission of permissionsOf(role)) expect(PERMISSIONS).toContain(permission);
});

test("staff and admin must enrol TOTP; coordinators may", () => {
  expect(roleRequiresTwoFactor("staff")).toBe(true);
  expect(roleRequiresTwoFactor("admin")).toBe(true);
  expect(roleRequiresTwoFactor("coordinator")).toBe(false);
  for (const p of ["read:person:assigned", "read:person:any", "manage:users", "read:audit"] as const) expect(TWO_FACTOR_PERMISSIONS.has(p)).toBe(true);
});
