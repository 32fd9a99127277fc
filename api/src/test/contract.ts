import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/** schema/contract.graphql, the public API contract (a copy of ../shared/contract/operations.graphql). */
export const contract: DocumentNode = parse(readFileSync(fileURLToPath(new URL('../../../schema/contract.graphql', import.meta.url)), 'utf8'));

/**
 * Contract operations whose issue is still open: they may not validate yet, so the schema, limits and fuzz tests pass
 * over them. Each name leaves this list when its issue closes; the list is empty once every issue of the contract is done.
 */
export const PENDING_OPERATIONS = new Set<string>([]);

/** Every operation of the contract, in order. */
export const allContractOperations: OperationDefinitionNode[] = contract.definitions.filter(
  (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
);

/** The contract's operations that the schema must already answer (all but the pending ones). */
export const contractOperations: OperationDefinitionNode[] = allContractOperations.filter((op) => !PENDING_OPERATIONS.has(op.name!.value));

/** An operation of schema/contract.graphql, verbatim, by name. */
export function contractOperation(name: string): string {
  const op = allContractOperations.find((d) => d.name?.value === name);
  if (!op) throw new Error(`contract has no operation ${name}`);
  return print(op);
}
