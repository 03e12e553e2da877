// The scripted stand-in control plane and event fixtures are the engine's own (a Web-standard
// handler), shared so the client is exercised the same way in workerd, in Node and here; this
// suite uses them only for behaviours the real control plane cannot be made to show on demand
// (answering late, vanishing).
export {
  makeEvent,
  type Reply,
  recordingSleep,
  scriptedControlPlane,
} from "../../../edge/engine/test/control/fixtures.ts";
