// The worker's workflow bundle entry point: every workflow type is exported from here.
export { systemCheckWorkflow } from './system-check.js';
export { orderWorkflow } from './order.js';
export { baselineWorkflow } from './baseline.js';
export { customerEmailWorkflow } from './customer-email.js';
export { webhookDeliveryWorkflow } from './webhook-delivery.js';
export { reconciliationWorkflow } from './reconciliation.js';
