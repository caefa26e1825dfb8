import type { FieldError, Role } from '#docket/platform';
import { CASE_WRITERS } from '#docket/platform';

/** Why a user cannot be the assignee; empty when they can. A user of another authority is reported as unknown. */
export function assigneeErrors(
  assigneeId: string | null | undefined,
  user: { name: string; role: Role; active: boolean } | null,
): FieldError[] {
  if (!assigneeId) return [];
  if (!user)
    return [
      {
        field: 'assigneeId',
        message: `there is no user with id ${assigneeId} in your authority`,
        key: 'cases.refusal.noAssignee',
      },
    ];
  if (!user.active)
    return [
      {
        field: 'assigneeId',
        message: `${user.name} is deactivated and cannot be assigned cases`,
        key: 'cases.refusal.assigneeDeactivated',
        params: { name: user.name },
      },
    ];
  if (!CASE_WRITERS.includes(user.role))
    return [
      {
        field: 'assigneeId',
        message: `${user.name} is a ${user.role}; cases are assigned to an officer, manager or admin`,
        key: 'cases.refusal.assigneeRole',
        params: { name: user.name, role: user.role },
      },
    ];
  return [];
}

/**
 * Matches the named products with the organisation's, ignoring case, and returns them as the
 * organisation spells them; unknown names are errors that list what is known.
 */
export function matchProducts(
  names: string[],
  organisation: { legalName: string; products: { name: string }[] },
): { products: string[]; errors: FieldError[] } {
  const known = new Map(organisation.products.map((product) => [product.name.toLowerCase(), product.name]));
  const products: string[] = [];
  const errors: FieldError[] = [];
  names.forEach((name, index) => {
    const match = known.get(name.toLowerCase());
    if (match) {
      if (!products.includes(match)) products.push(match);
      return;
    }
    const list = organisation.products.length
      ? `its products are ${organisation.products.map((p) => `"${p.name}"`).join(', ')}`
      : 'it has no products registered';
    errors.push({
      field: `products.${index}`,
      message: `"${name}" is not a product of ${organisation.legalName} (${list}); add it to the organisation first`,
      key: 'cases.refusal.unknownProduct',
      params: {
        name,
        organisation: organisation.legalName,
        count: organisation.products.length,
        products: organisation.products.map((product) => product.name).join(', '),
      },
    });
  });
  return { products, errors };
}
