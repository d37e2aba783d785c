/**
 * Inspection: Ironic's `IloInspect` over the iLO client, with an injected port registry.
 *
 * @module
 */
export { inspectedCapabilities, mergeInspectedCapabilities } from './capabilities.js';
export type { EssentialInspection, EssentialNodeProperties } from './essential.js';
export { essentialProperties } from './essential.js';
export type { InspectionResult, InspectorOptions } from './inspector.js';
export { Inspector } from './inspector.js';
export type { PortRegistry } from './ports.js';
