/**
 * How an edge is drawn: a straight line from the border of its source to the
 * border of its target, with an arrow head, dashed when the link is inferred
 * (sigma draws no dashes of its own), and moved a little to the side of its
 * direction so that A → B and B → A (a relation and its mirror) show as two
 * lines instead of one. One WebGL program for the line, one for the head;
 * sigma combines them.
 *
 * Attributes an edge carries for it: `size` (thickness in pixels), `color`,
 * and `dashed` (1 or 0).
 */
import { createEdgeCompoundProgram, EdgeProgram, type EdgeProgramType, type ProgramInfo } from 'sigma/rendering';
import type { EdgeDisplayData, NodeDisplayData, RenderParams } from 'sigma/types';
import { floatColor } from 'sigma/utils';

/** How far an edge sits to the side of the line between its ends, in thicknesses. */
const SIDE_OFFSET = 1.2;
const ARROW_LENGTH = 2.5;
const ARROW_WIDTH = 2;
/** Dash and gap lengths in pixels. */
const DASH = 6;
const GAP = 4;

type DashedEdgeData = EdgeDisplayData & { dashed?: number };

const LINE_VERTEX = /* glsl */ `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec2 a_normal;
attribute float a_normalCoef;
attribute vec2 a_positionStart;
attribute vec2 a_positionEnd;
attribute float a_positionCoef;
attribute float a_radius;
attribute float a_radiusCoef;
attribute float a_dashed;

uniform mat3 u_matrix;
uniform float u_zoomRatio;
uniform float u_sizeRatio;
uniform float u_pixelRatio;
uniform float u_correctionRatio;
uniform float u_minEdgeThickness;
uniform float u_feather;

varying vec4 v_color;
varying vec2 v_normal;
varying float v_thickness;
varying float v_feather;
varying float v_along;
varying float v_dashed;

const float bias = 255.0 / 254.0;

void main() {
  float radius = a_radius * a_radiusCoef;
  vec2 normal = a_normal * a_normalCoef;
  vec2 position = a_positionStart * (1.0 - a_positionCoef) + a_positionEnd * a_positionCoef;

  float normalLength = length(normal);
  vec2 unitNormal = normal / normalLength;
  // The side the edge moves to does not flip with the vertex: it follows the edge's direction.
  vec2 sideNormal = a_normal / length(a_normal);

  float pixelsThickness = max(normalLength, u_minEdgeThickness * u_sizeRatio);
  float webGLThickness = pixelsThickness * u_correctionRatio / u_sizeRatio;

  // Leave room for the target node and the arrow head.
  float direction = sign(radius);
  float webGLNodeRadius = direction * radius * 2.0 * u_correctionRatio / u_sizeRatio;
  float webGLArrowHeadLength = webGLThickness * ${ARROW_LENGTH.toFixed(1)} * 2.0;
  vec2 compensationVector = vec2(-direction * unitNormal.y, direction * unitNormal.x) * (webGLNodeRadius + webGLArrowHeadLength);
  vec2 side = sideNormal * webGLThickness * ${SIDE_OFFSET.toFixed(2)};

  gl_Position = vec4((u_matrix * vec3(position + unitNormal * webGLThickness + compensationVector + side, 1)).xy, 0, 1);

  v_thickness = webGLThickness / u_zoomRatio;
  v_normal = unitNormal;
  v_feather = u_feather * u_correctionRatio / u_zoomRatio / u_pixelRatio * 2.0;
  // Distance from the source along the edge, in screen pixels, for the dashes.
  v_along = a_positionCoef * length(a_positionEnd - a_positionStart) * u_sizeRatio / u_correctionRatio;
  v_dashed = a_dashed;

  #ifdef PICKING_MODE
  v_color = a_id;
  #else
  v_color = a_color;
  #endif
  v_color.a *= bias;
}
`;

const LINE_FRAGMENT = /* glsl */ `
precision mediump float;

varying vec4 v_color;
varying vec2 v_normal;
varying float v_thickness;
varying float v_feather;
varying float v_along;
varying float v_dashed;

const vec4 transparent = vec4(0.0, 0.0, 0.0, 0.0);

void main(void) {
  #ifdef PICKING_MODE
  // Gaps stay pickable, so a dashed edge is as easy to hover as a solid one.
  gl_FragColor = v_color;
  #else
  if (v_dashed > 0.5 && mod(v_along, ${(DASH + GAP).toFixed(1)}) > ${DASH.toFixed(1)}) discard;
  float dist = length(v_normal) * v_thickness;
  float t = smoothstep(v_thickness - v_feather, v_thickness, dist);
  // Sigma blends premultiplied colours (ONE, ONE_MINUS_SRC_ALPHA): without this, a faint line adds
  // its full colour, and thousands of faint lines add up to white.
  gl_FragColor = mix(vec4(v_color.rgb * v_color.a, v_color.a), transparent, t);
  #endif
}
`;

const HEAD_VERTEX = /* glsl */ `
attribute vec2 a_position;
attribute vec2 a_normal;
attribute float a_radius;
attribute vec3 a_barycentric;

#ifdef PICKING_MODE
attribute vec4 a_id;
#else
attribute vec4 a_color;
#endif

uniform mat3 u_matrix;
uniform float u_sizeRatio;
uniform float u_correctionRatio;
uniform float u_minEdgeThickness;

varying vec4 v_color;

const float bias = 255.0 / 254.0;

void main() {
  float normalLength = length(a_normal);
  vec2 unitNormal = a_normal / normalLength;

  float pixelsThickness = max(normalLength / u_sizeRatio, u_minEdgeThickness);
  float webGLThickness = pixelsThickness * u_correctionRatio;
  float webGLNodeRadius = a_radius * 2.0 * u_correctionRatio / u_sizeRatio;
  float webGLArrowHeadLength = webGLThickness * ${ARROW_LENGTH.toFixed(1)} * 2.0;
  float webGLArrowHeadThickness = webGLThickness * ${ARROW_WIDTH.toFixed(1)};

  float da = a_barycentric.x;
  float db = a_barycentric.y;
  float dc = a_barycentric.z;

  vec2 delta = vec2(
      da * (webGLNodeRadius * unitNormal.y)
    + db * ((webGLNodeRadius + webGLArrowHeadLength) * unitNormal.y + webGLArrowHeadThickness * unitNormal.x)
    + dc * ((webGLNodeRadius + webGLArrowHeadLength) * unitNormal.y - webGLArrowHeadThickness * unitNormal.x),

      da * (-webGLNodeRadius * unitNormal.x)
    + db * (-(webGLNodeRadius + webGLArrowHeadLength) * unitNormal.x + webGLArrowHeadThickness * unitNormal.y)
    + dc * (-(webGLNodeRadius + webGLArrowHeadLength) * unitNormal.x - webGLArrowHeadThickness * unitNormal.y)
  );
  // The head's normal points the other way from the line's: move it to the same side as the line.
  vec2 side = -unitNormal * webGLThickness * ${SIDE_OFFSET.toFixed(2)};

  gl_Position = vec4((u_matrix * vec3(a_position + delta + side, 1)).xy, 0, 1);

  #ifdef PICKING_MODE
  v_color = a_id;
  #else
  v_color = a_color;
  #endif
  v_color.a *= bias;
}
`;

const HEAD_FRAGMENT = /* glsl */ `
precision mediump float;
varying vec4 v_color;
void main(void) {
  #ifdef PICKING_MODE
  gl_FragColor = v_color;
  #else
  gl_FragColor = vec4(v_color.rgb * v_color.a, v_color.a);
  #endif
}
`;

const { FLOAT, UNSIGNED_BYTE, TRIANGLES } = WebGLRenderingContext;

/**
 * The programs are not instanced: every vertex carries the edge's data. With
 * instancing, a software GPU (SwiftShader: VS Code with GPU acceleration off,
 * virtual machines, these tests) pays per instance, and an ego graph of a few
 * thousand links took four times as long to paint.
 *
 * The line's six corners: positionCoef (0 source, 1 target), normalCoef
 * (which side of the line), radiusCoef (shorten at the target).
 */
const LINE_CORNERS = [
  [0, 1, 0],
  [0, -1, 0],
  [1, 1, 1],
  [1, 1, 1],
  [0, -1, 0],
  [1, -1, -1],
] as const;
/** The arrow head's three corners, as barycentric weights. */
const HEAD_CORNERS = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
] as const;

const LINE_UNIFORMS = ['u_matrix', 'u_zoomRatio', 'u_sizeRatio', 'u_correctionRatio', 'u_pixelRatio', 'u_feather', 'u_minEdgeThickness'] as const;
type LineUniform = (typeof LINE_UNIFORMS)[number];

class EdgeLineProgram extends EdgeProgram<LineUniform> {
  getDefinition() {
    return {
      VERTICES: 6,
      VERTEX_SHADER_SOURCE: LINE_VERTEX,
      FRAGMENT_SHADER_SOURCE: LINE_FRAGMENT,
      METHOD: TRIANGLES,
      UNIFORMS: LINE_UNIFORMS,
      // Not instanced: each vertex carries its own copy of the edge's data (see LINE_CORNERS).
      ATTRIBUTES: [
        { name: 'a_positionStart', size: 2, type: FLOAT },
        { name: 'a_positionEnd', size: 2, type: FLOAT },
        { name: 'a_normal', size: 2, type: FLOAT },
        { name: 'a_color', size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: 'a_id', size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: 'a_radius', size: 1, type: FLOAT },
        { name: 'a_dashed', size: 1, type: FLOAT },
        { name: 'a_positionCoef', size: 1, type: FLOAT },
        { name: 'a_normalCoef', size: 1, type: FLOAT },
        { name: 'a_radiusCoef', size: 1, type: FLOAT },
      ],
    };
  }

  processVisibleItem(edgeIndex: number, startIndex: number, sourceData: NodeDisplayData, targetData: NodeDisplayData, data: DashedEdgeData): void {
    const thickness = data.size || 1;
    const [n1, n2] = normal(sourceData, targetData, thickness);
    const color = floatColor(data.color);
    const radius = targetData.size || 1;
    const dashed = data.dashed ? 1 : 0;
    const array = this.array;
    let i = startIndex;
    for (const [positionCoef, normalCoef, radiusCoef] of LINE_CORNERS) {
      array[i++] = sourceData.x;
      array[i++] = sourceData.y;
      array[i++] = targetData.x;
      array[i++] = targetData.y;
      array[i++] = n1;
      array[i++] = n2;
      array[i++] = color;
      array[i++] = edgeIndex;
      array[i++] = radius;
      array[i++] = dashed;
      array[i++] = positionCoef;
      array[i++] = normalCoef;
      array[i++] = radiusCoef;
    }
  }

  setUniforms(params: RenderParams, { gl, uniformLocations }: ProgramInfo<LineUniform>): void {
    gl.uniformMatrix3fv(uniformLocations.u_matrix, false, params.matrix);
    gl.uniform1f(uniformLocations.u_zoomRatio, params.zoomRatio);
    gl.uniform1f(uniformLocations.u_sizeRatio, params.sizeRatio);
    gl.uniform1f(uniformLocations.u_correctionRatio, params.correctionRatio);
    gl.uniform1f(uniformLocations.u_pixelRatio, params.pixelRatio);
    gl.uniform1f(uniformLocations.u_feather, params.antiAliasingFeather);
    gl.uniform1f(uniformLocations.u_minEdgeThickness, params.minEdgeThickness);
  }
}

const HEAD_UNIFORMS = ['u_matrix', 'u_sizeRatio', 'u_correctionRatio', 'u_minEdgeThickness'] as const;
type HeadUniform = (typeof HEAD_UNIFORMS)[number];

class EdgeHeadProgram extends EdgeProgram<HeadUniform> {
  getDefinition() {
    return {
      VERTICES: 3,
      VERTEX_SHADER_SOURCE: HEAD_VERTEX,
      FRAGMENT_SHADER_SOURCE: HEAD_FRAGMENT,
      METHOD: TRIANGLES,
      UNIFORMS: HEAD_UNIFORMS,
      ATTRIBUTES: [
        { name: 'a_position', size: 2, type: FLOAT },
        { name: 'a_normal', size: 2, type: FLOAT },
        { name: 'a_radius', size: 1, type: FLOAT },
        { name: 'a_color', size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: 'a_id', size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: 'a_barycentric', size: 3, type: FLOAT },
      ],
    };
  }

  processVisibleItem(edgeIndex: number, startIndex: number, sourceData: NodeDisplayData, targetData: NodeDisplayData, data: EdgeDisplayData): void {
    const [n1, n2] = normal(sourceData, targetData, data.size || 1);
    const color = floatColor(data.color);
    const radius = targetData.size || 1;
    const array = this.array;
    let i = startIndex;
    for (const [a, b, c] of HEAD_CORNERS) {
      array[i++] = targetData.x;
      array[i++] = targetData.y;
      array[i++] = -n1;
      array[i++] = -n2;
      array[i++] = radius;
      array[i++] = color;
      array[i++] = edgeIndex;
      array[i++] = a;
      array[i++] = b;
      array[i++] = c;
    }
  }

  setUniforms(params: RenderParams, { gl, uniformLocations }: ProgramInfo<HeadUniform>): void {
    gl.uniformMatrix3fv(uniformLocations.u_matrix, false, params.matrix);
    gl.uniform1f(uniformLocations.u_sizeRatio, params.sizeRatio);
    gl.uniform1f(uniformLocations.u_correctionRatio, params.correctionRatio);
    gl.uniform1f(uniformLocations.u_minEdgeThickness, params.minEdgeThickness);
  }
}

/** The perpendicular of the edge, as long as its thickness. */
function normal(source: NodeDisplayData, target: NodeDisplayData, thickness: number): [number, number] {
  const dx = target.x - source.x;
  const dy = target.y - source.y;
  const length = Math.hypot(dx, dy);
  return length ? [(-dy / length) * thickness, (dx / length) * thickness] : [0, 0];
}

export const RelationEdgeProgram: EdgeProgramType = createEdgeCompoundProgram([EdgeLineProgram as unknown as EdgeProgramType, EdgeHeadProgram as unknown as EdgeProgramType]);

/** The side offset, dash and arrow, for an SVG export to draw edges the same way. */
export const EDGE_STYLE = { sideOffset: SIDE_OFFSET, arrowLength: ARROW_LENGTH, arrowWidth: ARROW_WIDTH, dash: DASH, gap: GAP } as const;
