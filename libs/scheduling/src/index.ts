export * from './job-lifecycle';
export * from './constraints';
export * from './dispatch-planner';
export * from './queue-order';
