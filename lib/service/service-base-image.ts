/**
 * Automatic base-image updates for image deploys (`gcloud run deploy --image … --base-image …
 * --automatic-updates`): the container's `base_image_uri` and `build_config.enable_automatic_updates`.
 * The image must be built on that base without its OS layers (Cloud Run "Configure automatic
 * base image updates"). This is the one thing `build_config` on a service is used for: it starts
 * no build (provider issues #22263, #23057); source builds are `CloudRunFunction`, container
 * sources are built by CI (`npm run build-image`).
 */
import { Construct } from "constructs";
import { Problem } from "../core/errors";
import { serviceErrors } from "./errors";

import { parseImageRef } from "../core/image-ref";
import { isUnresolved } from "../core/values";

const RUNTIME_ID = /^[a-z]+[0-9]+$/;

export interface BaseImageInputs {
  /** @default - none: no `base_image_uri`, no automatic base-image updates */
  readonly baseImage?: string | undefined;
  /** @default - true when `baseImage` is set */
  readonly automaticUpdates?: boolean | undefined;
  /**
   * The removed `source` prop, refused with a pointer to what replaces it.
   * @default - none; any value is refused with `CR_SERVICE_SOURCE`
   */
  readonly source?: unknown | undefined;
}

/** What the service writes for a base image. */
export interface BaseImageWiring {
  /**
   * `build_config` block (provider camelCase).
   * @default - none: no `build_config` written
   */
  readonly buildConfig?: Record<string, unknown> | undefined;
  /**
   * `base_image_uri` of the main container.
   * @default - none: no `base_image_uri` written
   */
  readonly baseImageUri?: string | undefined;
}

/** Problems of `baseImage`, `automaticUpdates`, and a `source` prop (no longer supported). */
export function baseImageProblems(scope: Construct, p: BaseImageInputs): Problem[] {
  const out: Problem[] = [];
  if (p.source !== undefined) out.push(serviceErrors.sourceProp(scope));
  if (p.baseImage !== undefined && !isUnresolved(p.baseImage) && !RUNTIME_ID.test(p.baseImage)) {
    const parsed = parseImageRef(p.baseImage);
    if (!parsed.ok)
      out.push(serviceErrors.baseImage(scope, "baseImage", p.baseImage, parsed.reason));
  }
  if (p.automaticUpdates && p.baseImage === undefined)
    out.push(serviceErrors.automaticUpdates(scope, "automaticUpdates"));
  return out;
}

export function mapBaseImage(p: BaseImageInputs): BaseImageWiring {
  if (p.baseImage === undefined) return {};
  return {
    baseImageUri: p.baseImage,
    buildConfig: { enableAutomaticUpdates: p.automaticUpdates ?? true },
  };
}
