import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, uniqueEmail, type TestApi } from '../../test/api.js';

const SIGN_UP = `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token user { id name city email } } }`;
const LOG_IN = `mutation LogIn($input: LogInInput!) { logIn(input: $input) { token user { id name email } } }`;
const ME = `query { me { id name email city bio } }`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

describe('accounts', () => {
  it('signs up, logs in and reads me', async () => {
    const email = uniqueEmail('ada');
    const up = await t.gql(SIGN_UP, { input: { email, password: 'correct horse', name: 'Ada', city: 'Oslo' } });
    expect(up.errors).toBeUndefined();
    expect(up.data!.signUp.user).toMatchObject({ name: 'Ada', city: 'Oslo', email });
    const me = await t.gql(ME, {}, up.data!.signUp.token);
    expect(me.data!.me).toMatchObject({ name: 'Ada', email });
  });
});
