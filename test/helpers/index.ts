// Test helpers: one import for the suites.
export * from "./lib";
export * from "./sockets";
export * from "./transports";
export * from "./messages";
export * from "./guard";
