import { readFileSync } from 'node:fs';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  validate,
  type GraphQLSchema,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGatherSchema, printGatherSchema } from './schema.js';
import { schemaFile } from './emit-schema.js';
import { allContractOperations, contract, contractOperations, PENDING_OPERATIONS } from '../test/contract.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGatherSchema();
});

describe('schema', () => {
  it('validates every operation of the contract, queries, mutations and subscriptions', () => {
    expect(new Set(contractOperations.map((o) => o.operation))).toEqual(new Set(['query', 'mutation', 'subscription']));
    for (const op of contractOperations) {
      const errors = validate(schema, { kind: contract.kind, definitions: [op] });
      expect(errors.map((e) => e.message), op.name!.value).toEqual([]);
    }
  });

  it('lists as pending only operations that are in the contract and do not validate yet', () => {
    for (const name of PENDING_OPERATIONS) {
      const op = allContractOperations.find((o) => o.name!.value === name);
      expect(op, `${name} is in the contract`).toBeDefined();
      // Once an operation validates, its issue is done: take it off the pending list.
      expect(validate(schema, { kind: contract.kind, definitions: [op!] }).length, `${name} still pending`).toBeGreaterThan(0);
    }
  });

  it('is committed up to date in schema/schema.graphql (run `npm run schema`)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(printGatherSchema(schema));
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
