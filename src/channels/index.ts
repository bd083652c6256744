/**
 * The channels feature as other features see it: everything outside src/channels/ imports from
 * here, never from a module inside. Named exports only, each one used elsewhere.
 */
export { type ChannelCheckChoices, channelCheckChoices } from './channel-check-choices.js'
export { channelJson } from './channel-json.js'
export { channelSpecSchema } from './channel-spec.js'
export { createChannel } from './create-channel.js'
export { deleteChannel } from './delete-channel.js'
export { checkCodesOfChannel, findProjectChannel } from './find-channel.js'
export { type ChannelSummary, listChannelSummaries } from './list-channel-summaries.js'
export {
  channelByCode,
  channelById,
  channelCountsByProject,
  listProjectChannels,
} from './queries.js'
export { repeatSchemaProperties } from './repeat-spec.js'
export { findUnsubscribeTarget, unsubscribeEmailChannel } from './unsubscribe-email.js'
export { updateChannel } from './update-channel.js'
