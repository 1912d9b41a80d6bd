// Roles and what they may do, in one place. Permissions are plain strings that the server checks
// in every loader and action (requireUser in auth.server.ts); the UI may use `can` only to decide
// which links to show, never as the check itself. No `.server` suffix: the pages read the labels.

export const ROLES = ["coordinator", "staff", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  coordinator: "コーディネーター（地域資源の登録）",
  staff: "参加支援スタッフ",
  admin: "管理者（市町村）",
};

export const PERMISSIONS = [
  /** Register a new venue or activity. */
  "create:resource",
  /** Edit venues one registered (or one's organisation operates). */
  "update:resource:own",
  /** Edit any venue. */
  "update:resource:any",
  /** Approve or reject venues before they are public. */
  "review:resource",
  /** Read people (本人) one is assigned to, within consent rules. */
  "read:person:assigned",
  /** Record intake, assessments, placements and follow-ups for assigned people. */
  "write:person:assigned",
  /** Read any person's record (administrators, as the law and consent allow). */
  "read:person:any",
  /** 支援決定 on plans. */
  "decide:support",
  /** Invite users, set their role and organisation, disable them. */
  "manage:users",
  /** Browse the audit log. */
  "read:audit",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  coordinator: ["create:resource", "update:resource:own"],
  staff: ["read:person:assigned", "write:person:assigned"],
  admin: [
    "create:resource",
    "update:resource:own",
    "update:resource:any",
    "review:resource",
    "read:person:any",
    "decide:support",
    "manage:users",
    "read:audit",
  ],
};

/**
 * Permissions whose pages show or change personal data or accounts: a session must have passed
 * TOTP before any of them is granted (requireUser enforces it).
 */
export const TWO_FACTOR_PERMISSIONS: ReadonlySet<Permission> = new Set([
  "read:person:assigned",
  "write:person:assigned",
  "read:person:any",
  "decide:support",
  "manage:users",
  "read:audit",
]);

/** Roles that must enrol TOTP (they can reach personal data or accounts). */
export function roleRequiresTwoFactor(role: Role): boolean {
  return ROLE_PERMISSIONS[role].some((p) => TWO_FACTOR_PERMISSIONS.has(p));
}

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export const ORGANISATION_KINDS = ["municipality", "council", "npo", "other"] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  municipality: "市町村（課・室）",
  council: "社会福祉協議会",
  npo: "委託先・NPO法人など",
  other: "その他",
};
