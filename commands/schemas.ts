/**
 * Argument checks shared by the commands: what a button, a menu item or a typed command may
 * carry. A bad value gets a clear message, never a crash.
 */
import { z } from "zod";
import { figureFromKey } from "./figures.ts";

export const yearSchema = z.number().int().min(2008, "年份太早：年报从 2008 年开始").max(2100, "年份不对");
export const organKeySchema = z.string().min(1, "请说明单位");
export const figureKeySchema = z.string().refine((k) => figureFromKey(k) !== null, "不认识的指标");
