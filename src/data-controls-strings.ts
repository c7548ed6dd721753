// The words of deleting the conversation in English, fetched with its code (data-controls.ts) rather than kept in
// the launcher file; english.ts joins them into the whole English.
export const dataControlsEnglish = {
  deleteConfirm: 'Delete this conversation from this browser? This cannot be undone.',
  deleteConfirmButton: 'Delete',
  cancelButton: 'Cancel',
  conversationDeleted: 'Conversation deleted',
};
