// GraphiQL is a React app that runs in the browser only.
export const ssr = false;
