/** The team roles of a synthesized `roles-<account>` stack, read as review/synthesized.ts reads them. */
export { stackAccount, teamRole, type PolicyJson, type TeamRoleView } from "../../review/synthesized";
