import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// Testing Library unmounts on its own only when test globals are on; this config keeps them off.
afterEach(cleanup);
